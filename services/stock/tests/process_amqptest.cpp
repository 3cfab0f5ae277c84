// The microstore-stock binary as an operator runs it: configuration errors, --help, start-up
// against a real database and broker, events consumed from the broker (a product, then an order
// reserved), the resulting event relayed, and a clean stop on SIGTERM.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "platform/core/ids.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/testing/service_process.hpp"

namespace microstore::stock {
namespace {

using namespace std::chrono_literals;
using microstore::testing::ChildProcess;
using nlohmann::json;

const std::string kChair = "aaaaaaaa-0000-4000-8000-000000000001";
const std::string kOrder = "00000000-0000-4000-8000-000000000001";

class StockProcess : public microstore::testing::ServiceProcessTest {
 protected:
  // Publishes an event as its producer's relay would.
  void Publish(const std::string& producer, const std::string& type, messaging::AggregateRef aggregate,
               json payload) {
    ServiceProcessTest::Publish(messaging::MakeEvent(type, 1, std::move(aggregate), std::move(payload), {},
                                                     producer, producer + "-node", core::NewUuid(),
                                                     std::chrono::system_clock::now()));
  }
};

TEST_F(StockProcess, HelpListsTheVariables) {
  EXPECT_TRUE(microstore::testing::HelpNames(
      MICROSTORE_STOCK_BINARY, {"MICROSTORE_AMQP_URL", "MICROSTORE_DB_URL", "MICROSTORE_JWT_PUBLIC_KEYS"}));
}

TEST_F(StockProcess, MissingSettingsExitWith2NamingThem) {
  auto environment = Environment();
  environment["MICROSTORE_AMQP_URL"] = "";
  environment["MICROSTORE_DB_URL"] = "";
  EXPECT_TRUE(microstore::testing::RefusesToStartNaming(MICROSTORE_STOCK_BINARY, environment,
                                                        {"MICROSTORE_AMQP_URL", "MICROSTORE_DB_URL"}));
}

TEST_F(StockProcess, ConsumesEventsFromTheBrokerReservesAndRelaysTheOutcome) {
  ChildProcess stock(MICROSTORE_STOCK_BINARY, {}, Environment());
  ASSERT_TRUE(microstore::testing::BecomesReady(stock, port_));

  Publish("catalog", "ProductCreated", {"product", kChair, 1, "ACTIVE"},
          {{"product_id", kChair},
           {"sku", "OAK-1"},
           {"name", "Oak chair"},
           {"price_minor", 10000},
           {"currency", "RUB"},
           {"archived", false},
           {"version", 1}});
  ASSERT_TRUE(
      microstore::testing::Eventually([&] { return Get("/api/v1/items/" + kChair).status == 200; }, 30s))
      << stock.Output();

  const json restock = {{"quantity", 5}, {"reason", "first delivery"}};
  const auto restocked =
      Send("POST", "/api/v1/items/" + kChair + "/restock", restock.dump(),
           Bearer("operator-1", {auth::Role::kStockOperator}) + "Content-Type: application/json\r\n");
  ASSERT_EQ(restocked.status, 200) << restocked.body;
  EXPECT_EQ(json::parse(restocked.body)["free"], 5);

  Publish("order", "OrderCreated", {"order", kOrder, 1, "PENDING"},
          {{"order_id", kOrder},
           {"customer_id", "c0000000-0000-4000-8000-000000000001"},
           {"items",
            {{{"product_id", kChair},
              {"sku", "OAK-1"},
              {"name", "Oak chair"},
              {"quantity", 2},
              {"unit_price_minor", 10000},
              {"line_total_minor", 20000}}}},
           {"total_minor", 20000},
           {"currency", "RUB"},
           {"created_at", "2026-11-23T10:00:00.000Z"}});
  const std::string operator_token = Bearer("operator-1", {auth::Role::kOperator});
  ASSERT_TRUE(microstore::testing::Eventually(
      [&] { return Get("/api/v1/reservations/" + kOrder, operator_token).status == 200; }, 30s))
      << stock.Output();
  EXPECT_EQ(json::parse(Get("/api/v1/reservations/" + kOrder, operator_token).body)["status"], "BOOKED");
  EXPECT_EQ(json::parse(Get("/api/v1/items/" + kChair).body)["free"], 3);

  // The relay publishes StockReserved and marks it sent once the broker confirmed it.
  EXPECT_TRUE(microstore::testing::Eventually(
      [&] {
        return Sql("SELECT count(*) FROM outbox WHERE type = 'StockReserved' AND sent_at IS NOT NULL") == "1";
      },
      30s))
      << stock.Output();
  // The platform serves the dead-letter routes of the consumer.
  EXPECT_EQ(Get("/api/v1/admin/dead-letters", operator_token).status, 200);

  EXPECT_TRUE(microstore::testing::StopsCleanly(stock));
}

}  // namespace
}  // namespace microstore::stock
