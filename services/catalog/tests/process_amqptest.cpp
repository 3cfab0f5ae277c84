// The microstore-catalog binary as an operator runs it: configuration errors, --help, start-up
// against a real database and broker, a product created over HTTP whose event the relay
// publishes, and a clean stop on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "auth/jwt.hpp"
#include "testing/amqp.hpp"
#include "testing/process.hpp"
#include "testing/testing.hpp"

namespace microstore::catalog {
namespace {

using namespace std::chrono_literals;
using microstore::testing::ChildProcess;

class CatalogProcess : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Environment() {
    return {{"MICROSTORE_HTTP_PORT", std::to_string(port_)},
            {"MICROSTORE_DB_URL", database_.url()},
            {"MICROSTORE_AMQP_URL", vhost_.url()},
            {"MICROSTORE_LOG_LEVEL", "info"},
            {"MICROSTORE_JWT_PUBLIC_KEYS", "k1:" + keys_.public_key}};
  }

  std::string AdminToken() {
    auto signer = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys_.seed));
    const auto now = std::chrono::system_clock::now();
    return signer.Sign({"admin-1", {auth::Role::kAdmin}, "jti", "microstore-identity", now, now + 5min});
  }

  auth::GeneratedKeyPair keys_ = auth::GenerateKeyPair("k1");
  microstore::testing::TempDatabase database_;
  microstore::testing::TempVhost vhost_;
  unsigned short port_ = microstore::testing::FreePort();
};

TEST_F(CatalogProcess, HelpListsTheVariables) {
  ChildProcess catalog(MICROSTORE_CATALOG_BINARY, {"--help"}, {{"MICROSTORE_AMQP_URL", ""}});
  EXPECT_EQ(catalog.Wait(10s), 0);
  for (const char* variable :
       {"`MICROSTORE_AMQP_URL`", "`MICROSTORE_DB_URL`", "`MICROSTORE_JWT_PUBLIC_KEYS`"}) {
    EXPECT_NE(catalog.Output().find(variable), std::string::npos) << variable << "\n" << catalog.Output();
  }
}

TEST_F(CatalogProcess, MissingOrBadSettingsExitWith2NamingThem) {
  auto environment = Environment();
  environment["MICROSTORE_AMQP_URL"] = "";
  environment["MICROSTORE_JWT_PUBLIC_KEYS"] = "";
  ChildProcess missing(MICROSTORE_CATALOG_BINARY, {}, environment);
  EXPECT_EQ(missing.Wait(10s), 2);
  EXPECT_NE(missing.Output().find("MICROSTORE_AMQP_URL"), std::string::npos) << missing.Output();
  EXPECT_NE(missing.Output().find("MICROSTORE_JWT_PUBLIC_KEYS"), std::string::npos) << missing.Output();

  environment = Environment();
  environment["MICROSTORE_AMQP_URL"] = "http://not-a-broker";
  ChildProcess bad(MICROSTORE_CATALOG_BINARY, {}, environment);
  EXPECT_EQ(bad.Wait(10s), 2);
  EXPECT_NE(bad.Output().find("MICROSTORE_AMQP_URL"), std::string::npos) << bad.Output();
}

TEST_F(CatalogProcess, ServesMigratesAndRelaysEventsToTheBroker) {
  ChildProcess catalog(MICROSTORE_CATALOG_BINARY, {}, Environment());
  ASSERT_TRUE(microstore::testing::WaitForHttpStatus(port_, "/health/ready", 200, 60s)) << catalog.Output();

  const nlohmann::json body = {
      {"sku", "PROC-1"}, {"name", "Oak dining chair"}, {"price_minor", 649000}, {"currency", "RUB"}};
  const auto created = microstore::testing::HttpRequest(port_, "POST", "/api/v1/products", body.dump(),
                                                        "Authorization: Bearer " + AdminToken() + "\r\n");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto anonymous = microstore::testing::HttpRequest(port_, "POST", "/api/v1/products", body.dump());
  EXPECT_EQ(anonymous.status, 401);
  const auto listed = microstore::testing::HttpRequest(port_, "GET", "/api/v1/products?q=chairs");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(nlohmann::json::parse(listed.body)["items"].size(), 1u);

  // The relay publishes the event and marks it sent once the broker confirmed it.
  std::string sent;
  for (int i = 0; i < 300 && sent != "1"; ++i) {
    sent = microstore::testing::QueryValueSync(
        database_.url(), "SELECT count(*) FROM outbox WHERE type = 'ProductCreated' AND sent_at IS NOT NULL");
    if (sent != "1") std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(sent, "1") << catalog.Output();

  catalog.Signal(SIGTERM);
  EXPECT_EQ(catalog.Wait(30s), 0) << catalog.Output();
}

}  // namespace
}  // namespace microstore::catalog
