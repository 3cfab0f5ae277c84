// The microstore-catalog binary as an operator runs it: configuration errors, --help, start-up
// against a real database and broker, a product created over HTTP whose event the relay
// publishes, and a clean stop on SIGTERM.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "platform/testing/service_process.hpp"

namespace microstore::catalog {
namespace {

using namespace std::chrono_literals;
using microstore::testing::ChildProcess;

using CatalogProcess = microstore::testing::ServiceProcessTest;

TEST_F(CatalogProcess, HelpListsTheVariables) {
  EXPECT_TRUE(microstore::testing::HelpNames(
      MICROSTORE_CATALOG_BINARY, {"MICROSTORE_AMQP_URL", "MICROSTORE_DB_URL", "MICROSTORE_JWT_PUBLIC_KEYS"}));
}

TEST_F(CatalogProcess, MissingOrBadSettingsExitWith2NamingThem) {
  auto environment = Environment();
  environment["MICROSTORE_AMQP_URL"] = "";
  environment["MICROSTORE_JWT_PUBLIC_KEYS"] = "";
  EXPECT_TRUE(microstore::testing::RefusesToStartNaming(
      MICROSTORE_CATALOG_BINARY, environment, {"MICROSTORE_AMQP_URL", "MICROSTORE_JWT_PUBLIC_KEYS"}));

  environment = Environment();
  environment["MICROSTORE_AMQP_URL"] = "http://not-a-broker";
  EXPECT_TRUE(microstore::testing::RefusesToStartNaming(MICROSTORE_CATALOG_BINARY, environment,
                                                        {"MICROSTORE_AMQP_URL"}));
}

TEST_F(CatalogProcess, ServesMigratesAndRelaysEventsToTheBroker) {
  ChildProcess catalog(MICROSTORE_CATALOG_BINARY, {}, Environment());
  ASSERT_TRUE(microstore::testing::BecomesReady(catalog, port_));

  const nlohmann::json body = {
      {"sku", "PROC-1"}, {"name", "Oak dining chair"}, {"price_minor", 649000}, {"currency", "RUB"}};
  const auto created = Send("POST", "/api/v1/products", body.dump(), Bearer("admin-1", {auth::Role::kAdmin}));
  ASSERT_EQ(created.status, 201) << created.body;
  const auto anonymous = Send("POST", "/api/v1/products", body.dump());
  EXPECT_EQ(anonymous.status, 401);
  const auto listed = Get("/api/v1/products?q=chairs");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(nlohmann::json::parse(listed.body)["items"].size(), 1u);

  // The relay publishes the event and marks it sent once the broker confirmed it.
  std::string sent;
  for (int i = 0; i < 300 && sent != "1"; ++i) {
    sent = Sql("SELECT count(*) FROM outbox WHERE type = 'ProductCreated' AND sent_at IS NOT NULL");
    if (sent != "1") std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(sent, "1") << catalog.Output();

  EXPECT_TRUE(microstore::testing::StopsCleanly(catalog));
}

}  // namespace
}  // namespace microstore::catalog
