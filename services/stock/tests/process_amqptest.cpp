// The microstore-stock binary as an operator runs it: configuration errors, --help, start-up
// against a real database and broker, events consumed from the broker (a product, then an order
// reserved), the resulting event relayed, and a clean stop on SIGTERM.
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

namespace microstore::stock {
namespace {

using namespace std::chrono_literals;
using microstore::testing::ChildProcess;
using nlohmann::json;

const std::string kChair = "aaaaaaaa-0000-4000-8000-000000000001";
const std::string kOrder = "00000000-0000-4000-8000-000000000001";

class StockProcess : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Environment() {
    return {{"MICROSTORE_HTTP_PORT", std::to_string(port_)},
            {"MICROSTORE_DB_URL", database_.url()},
            {"MICROSTORE_AMQP_URL", vhost_.url()},
            {"MICROSTORE_LOG_LEVEL", "info"},
            {"MICROSTORE_JWT_PUBLIC_KEYS", "k1:" + keys_.public_key}};
  }

  std::string Bearer(auth::Role role) {
    auto signer = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys_.seed));
    const auto now = std::chrono::system_clock::now();
    return "Authorization: Bearer " +
           signer.Sign({"operator-1", {role}, "jti", "microstore-identity", now, now + 5min}) + "\r\n";
  }

  // Publishes an event as its producer's relay would.
  void Publish(const std::string& producer, const std::string& type, messaging::AggregateRef aggregate,
               json payload) {
    const auto event =
        messaging::MakeEvent(type, 1, std::move(aggregate), std::move(payload), {}, producer,
                             producer + "-node", core::NewUuid(), std::chrono::system_clock::now());
    amqp::QueueAdmin admin(vhost_.url());
    admin.Publish({.exchange = amqp::ExchangeOf(producer),
                   .routing_key = type,
                   .message_id = event.id,
                   .type = type,
                   .correlation_id = event.correlation_id,
                   .body = messaging::ToJson(event),
                   .headers = {}});
  }

  microstore::testing::SimpleResponse Get(const std::string& path, const std::string& headers = "") {
    return microstore::testing::HttpRequest(port_, "GET", path, "", headers);
  }

  auth::GeneratedKeyPair keys_ = auth::GenerateKeyPair("k1");
  microstore::testing::TempDatabase database_;
  microstore::testing::TempVhost vhost_;
  unsigned short port_ = microstore::testing::FreePort();
};

TEST_F(StockProcess, HelpListsTheVariables) {
  ChildProcess stock(MICROSTORE_STOCK_BINARY, {"--help"}, {{"MICROSTORE_AMQP_URL", ""}});
  EXPECT_EQ(stock.Wait(10s), 0);
  for (const char* variable :
       {"`MICROSTORE_AMQP_URL`", "`MICROSTORE_DB_URL`", "`MICROSTORE_JWT_PUBLIC_KEYS`"}) {
    EXPECT_NE(stock.Output().find(variable), std::string::npos) << variable << "\n" << stock.Output();
  }
}

TEST_F(StockProcess, MissingSettingsExitWith2NamingThem) {
  auto environment = Environment();
  environment["MICROSTORE_AMQP_URL"] = "";
  environment["MICROSTORE_DB_URL"] = "";
  ChildProcess missing(MICROSTORE_STOCK_BINARY, {}, environment);
  EXPECT_EQ(missing.Wait(10s), 2);
  EXPECT_NE(missing.Output().find("MICROSTORE_AMQP_URL"), std::string::npos) << missing.Output();
  EXPECT_NE(missing.Output().find("MICROSTORE_DB_URL"), std::string::npos) << missing.Output();
}

TEST_F(StockProcess, ConsumesEventsFromTheBrokerReservesAndRelaysTheOutcome) {
  ChildProcess stock(MICROSTORE_STOCK_BINARY, {}, Environment());
  ASSERT_TRUE(microstore::testing::WaitForHttpStatus(port_, "/health/ready", 200, 60s)) << stock.Output();

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
  const auto restocked = microstore::testing::HttpRequest(
      port_, "POST", "/api/v1/items/" + kChair + "/restock", restock.dump(),
      Bearer(auth::Role::kStockOperator) + "Content-Type: application/json\r\n");
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
  const std::string operator_token = Bearer(auth::Role::kOperator);
  ASSERT_TRUE(microstore::testing::Eventually(
      [&] { return Get("/api/v1/reservations/" + kOrder, operator_token).status == 200; }, 30s))
      << stock.Output();
  EXPECT_EQ(json::parse(Get("/api/v1/reservations/" + kOrder, operator_token).body)["status"], "BOOKED");
  EXPECT_EQ(json::parse(Get("/api/v1/items/" + kChair).body)["free"], 3);

  // The relay publishes StockReserved and marks it sent once the broker confirmed it.
  EXPECT_TRUE(microstore::testing::Eventually(
      [&] {
        return microstore::testing::QueryValueSync(
                   database_.url(),
                   "SELECT count(*) FROM outbox WHERE type = 'StockReserved' AND sent_at IS NOT NULL") == "1";
      },
      30s))
      << stock.Output();
  // The platform serves the dead-letter routes of the consumer.
  EXPECT_EQ(Get("/admin/dead-letters", operator_token).status, 200);

  stock.Signal(SIGTERM);
  EXPECT_EQ(stock.Wait(30s), 0) << stock.Output();
}

}  // namespace
}  // namespace microstore::stock
