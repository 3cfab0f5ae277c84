// The microstore-order binary as an operator runs it: configuration errors, --help, start-up
// against a real database and broker, catalog's and stock's events consumed from the broker, an
// order placed over HTTP whose events the relay publishes, and a clean stop on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "amqp/consumer.hpp"
#include "auth/jwt.hpp"
#include "core/ids.hpp"
#include "messaging/envelope.hpp"
#include "testing/amqp.hpp"
#include "testing/process.hpp"
#include "testing/testing.hpp"

namespace microstore::order {
namespace {

using namespace std::chrono_literals;
using microstore::testing::ChildProcess;
using nlohmann::json;

class OrderProcess : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Environment() {
    return {{"MICROSTORE_HTTP_PORT", std::to_string(port_)},
            {"MICROSTORE_DB_URL", database_.url()},
            {"MICROSTORE_AMQP_URL", vhost_.url()},
            {"MICROSTORE_LOG_LEVEL", "info"},
            {"MICROSTORE_JWT_PUBLIC_KEYS", "k1:" + keys_.public_key}};
  }

  std::string Bearer(const std::string& subject, auth::Role role) {
    auto signer = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys_.seed));
    const auto now = std::chrono::system_clock::now();
    return "Authorization: Bearer " +
           signer.Sign({subject, {role}, "jti", "microstore-identity", now, now + 5min}) + "\r\n";
  }

  // Publishes `event` as its producer's relay would.
  void Publish(const messaging::Envelope& event) {
    amqp::QueueAdmin admin(vhost_.url());
    admin.Publish({.exchange = amqp::ExchangeOf(event.producer),
                   .routing_key = event.type,
                   .message_id = event.id,
                   .type = event.type,
                   .correlation_id = event.correlation_id,
                   .body = messaging::ToJson(event),
                   .headers = {}});
  }

  std::string Sql(const std::string& query) {
    return microstore::testing::QueryValueSync(database_.url(), query);
  }

  auth::GeneratedKeyPair keys_ = auth::GenerateKeyPair("k1");
  microstore::testing::TempDatabase database_;
  microstore::testing::TempVhost vhost_;
  unsigned short port_ = microstore::testing::FreePort();
};

TEST_F(OrderProcess, HelpListsTheVariables) {
  ChildProcess order(MICROSTORE_ORDER_BINARY, {"--help"}, {{"MICROSTORE_AMQP_URL", ""}});
  EXPECT_EQ(order.Wait(10s), 0);
  for (const char* variable :
       {"`MICROSTORE_AMQP_URL`", "`MICROSTORE_DB_URL`", "`MICROSTORE_JWT_PUBLIC_KEYS`"}) {
    EXPECT_NE(order.Output().find(variable), std::string::npos) << variable << "\n" << order.Output();
  }
}

TEST_F(OrderProcess, MissingSettingsExitWith2NamingThem) {
  auto environment = Environment();
  environment["MICROSTORE_AMQP_URL"] = "";
  environment["MICROSTORE_JWT_PUBLIC_KEYS"] = "";
  ChildProcess missing(MICROSTORE_ORDER_BINARY, {}, environment);
  EXPECT_EQ(missing.Wait(10s), 2);
  EXPECT_NE(missing.Output().find("MICROSTORE_AMQP_URL"), std::string::npos) << missing.Output();
  EXPECT_NE(missing.Output().find("MICROSTORE_JWT_PUBLIC_KEYS"), std::string::npos) << missing.Output();
}

TEST_F(OrderProcess, ConsumesPlacesRelaysAndFollowsTheSaga) {
  ChildProcess order(MICROSTORE_ORDER_BINARY, {}, Environment());
  ASSERT_TRUE(microstore::testing::WaitForHttpStatus(port_, "/health/ready", 200, 60s)) << order.Output();

  const std::string product = core::NewUuid();
  Publish(messaging::MakeEvent("ProductCreated", 1, {"product", product, 1, "ACTIVE"},
                               {{"product_id", product},
                                {"sku", "PROC-1"},
                                {"name", "Oak chair"},
                                {"price_minor", 649000},
                                {"currency", "RUB"},
                                {"archived", false},
                                {"version", 1}},
                               {"corr-product", "", ""}, "catalog", "catalog-test", core::NewUuid(),
                               std::chrono::system_clock::now()));
  ASSERT_TRUE(microstore::testing::Eventually([&] {
    return Sql("SELECT count(*) FROM product_copies") == "1";
  })) << order.Output();

  const std::string customer = core::NewUuid();
  const json body = {{"items", {{{"product_id", product}, {"quantity", 2}}}}};
  const auto placed = microstore::testing::HttpRequest(
      port_, "POST", "/api/v1/orders", body.dump(),
      Bearer(customer, auth::Role::kCustomer) +
          "Content-Type: application/json\r\nIdempotency-Key: process-1\r\n");
  ASSERT_EQ(placed.status, 202) << placed.body;
  const json created = json::parse(placed.body);
  const std::string id = created["id"];
  EXPECT_EQ(created["total_minor"], 1298000);
  EXPECT_EQ(microstore::testing::HttpRequest(port_, "POST", "/api/v1/orders", body.dump()).status, 401);

  // OrderCreated and OrderStatusChanged are published once the broker confirmed them.
  EXPECT_TRUE(microstore::testing::Eventually([&] {
    return Sql("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL") == "2";
  })) << order.Output();

  Publish(messaging::MakeEvent("StockReserved", 1, {"reservation", id, 1, "BOOKED"},
                               {{"order_id", id},
                                {"customer_id", customer},
                                {"order_version", 1},
                                {"items", {{{"product_id", product}, {"quantity", 2}}}},
                                {"total_minor", 1298000},
                                {"currency", "RUB"}},
                               {"corr-stock", "", ""}, "stock", "stock-test", core::NewUuid(),
                               std::chrono::system_clock::now()));
  const std::string bearer = Bearer(customer, auth::Role::kCustomer);
  EXPECT_TRUE(microstore::testing::Eventually([&] {
    const auto current = microstore::testing::HttpRequest(port_, "GET", "/api/v1/orders/" + id, "", bearer);
    return current.status == 200 && json::parse(current.body)["status"] == "RESERVED";
  })) << order.Output();

  // The dead-letter routes of a consuming service are served (for operators).
  const auto dead = microstore::testing::HttpRequest(port_, "GET", "/admin/dead-letters", "",
                                                     Bearer(core::NewUuid(), auth::Role::kOperator));
  EXPECT_EQ(dead.status, 200) << dead.body;

  order.Signal(SIGTERM);
  EXPECT_EQ(order.Wait(30s), 0) << order.Output();
}

}  // namespace
}  // namespace microstore::order
