// The microstore-order binary as an operator runs it: configuration errors, --help, start-up
// against a real database and broker, catalog's and stock's events consumed from the broker, an
// order placed over HTTP whose events the relay publishes, and a clean stop on SIGTERM.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "platform/core/ids.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/testing/service_process.hpp"

namespace microstore::order {
namespace {

using namespace std::chrono_literals;
using microstore::testing::ChildProcess;
using nlohmann::json;

using OrderProcess = microstore::testing::ServiceProcessTest;

TEST_F(OrderProcess, HelpListsTheVariables) {
  EXPECT_TRUE(microstore::testing::HelpNames(
      MICROSTORE_ORDER_BINARY, {"MICROSTORE_AMQP_URL", "MICROSTORE_DB_URL", "MICROSTORE_JWT_PUBLIC_KEYS"}));
}

TEST_F(OrderProcess, MissingSettingsExitWith2NamingThem) {
  auto environment = Environment();
  environment["MICROSTORE_AMQP_URL"] = "";
  environment["MICROSTORE_JWT_PUBLIC_KEYS"] = "";
  EXPECT_TRUE(microstore::testing::RefusesToStartNaming(
      MICROSTORE_ORDER_BINARY, environment, {"MICROSTORE_AMQP_URL", "MICROSTORE_JWT_PUBLIC_KEYS"}));
}

TEST_F(OrderProcess, ConsumesPlacesRelaysAndFollowsTheSaga) {
  ChildProcess order(MICROSTORE_ORDER_BINARY, {}, Environment());
  ASSERT_TRUE(microstore::testing::BecomesReady(order, port_));

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
  const auto placed = Send("POST", "/api/v1/orders", body.dump(),
                           Bearer(customer, {auth::Role::kCustomer}) +
                               "Content-Type: application/json\r\nIdempotency-Key: process-1\r\n");
  ASSERT_EQ(placed.status, 202) << placed.body;
  const json created = json::parse(placed.body);
  const std::string id = created["id"];
  EXPECT_EQ(created["total_minor"], 1298000);
  EXPECT_EQ(Send("POST", "/api/v1/orders", body.dump()).status, 401);

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
  const std::string bearer = Bearer(customer, {auth::Role::kCustomer});
  EXPECT_TRUE(microstore::testing::Eventually([&] {
    const auto current = Get("/api/v1/orders/" + id, bearer);
    return current.status == 200 && json::parse(current.body)["status"] == "RESERVED";
  })) << order.Output();

  // The dead-letter routes of a consuming service are served (for operators).
  const auto dead = Get("/api/v1/admin/dead-letters", Bearer(core::NewUuid(), {auth::Role::kOperator}));
  EXPECT_EQ(dead.status, 200) << dead.body;

  EXPECT_TRUE(microstore::testing::StopsCleanly(order));
}

}  // namespace
}  // namespace microstore::order
