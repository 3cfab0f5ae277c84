// The checkout saga on the running system, through the gateway: seed 002's scenarios 1, 2, 3, 8
// and 9, customer cancellation before and after payment, double submit, a race for the last
// units, and events delivered twice or late. After every test the invariants of R16 are checked
// from the services' own APIs (Shop::ExpectInvariants).
#include <gtest/gtest.h>

#include <future>
#include <sstream>
#include <thread>

#include "platform/core/ids.hpp"
#include "shop.hpp"
#include "system.hpp"

namespace microstore::e2e {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::int64_t kPrice = 1500;

class Saga : public ::testing::Test {
 protected:
  static Shop& shop() {
    static Shop shop(System::Shared());
    return shop;
  }
  void TearDown() override { shop().ExpectInvariants(); }

  // The saga's events of one order, as the broker carried them.
  static std::vector<json> EventsOf(const std::vector<json>& events, const std::string& order_id) {
    std::vector<json> mine;
    for (const auto& event : events) {
      if (event["payload"].value("order_id", "") == order_id) mine.push_back(event);
    }
    return mine;
  }
  static std::vector<std::string> StatusStream(const std::vector<json>& events, const std::string& order_id) {
    std::vector<std::string> statuses;
    for (const auto& event : EventsOf(events, order_id)) {
      if (event["type"] == "OrderStatusChanged") {
        statuses.push_back(event["payload"]["status"].get<std::string>() + "@" +
                           std::to_string(event["payload"]["version"].get<std::int64_t>()));
      }
    }
    return statuses;
  }

  // inbox_events_total of `consumer` for `type` and `outcome`, summed over the given processes.
  static double InboxCount(const std::vector<std::string>& processes, const std::string& consumer,
                           const std::string& type, const std::string& outcome) {
    double total = 0;
    for (const auto& process : processes) {
      const auto metrics = testing::HttpRequest(System::Shared().PortOf(process), "GET", "/metrics", "", "");
      std::istringstream lines(metrics.body);
      for (std::string line; std::getline(lines, line);) {
        if (line.rfind("inbox_events_total{", 0) != 0) continue;
        if (line.find("consumer=\"" + consumer + "\"") == std::string::npos ||
            line.find("type=\"" + type + "\"") == std::string::npos ||
            line.find("outcome=\"" + outcome + "\"") == std::string::npos) {
          continue;
        }
        total += std::stod(line.substr(line.rfind(' ') + 1));
      }
    }
    return total;
  }

  System& system_ = System::Shared();
};

// Seed 002, scenario 1: a created order is in the customer's list with status "created" (PENDING).
TEST_F(Saga, Seed002Scenario1_ACreatedOrderIsListedWithItsFixedPrice) {
  const std::string product = shop().CreateProduct(kPrice, 5);
  const std::string customer = shop().NewCustomer(10 * kPrice);
  const Reply created = shop().PlaceOrder(customer, {{product, 2}}, "click-" + Unique());
  ASSERT_EQ(created.status, 202) << created.Describe();
  const json& order = created.body;
  const std::string id = order["id"];
  EXPECT_EQ(order["status"], "PENDING");
  EXPECT_EQ(order["version"], 1);
  EXPECT_EQ(order["total_minor"], 2 * kPrice);
  EXPECT_EQ(order["currency"], "RUB");
  EXPECT_EQ(created.Header("Location"), "/api/v1/order/orders/" + id);

  const Reply mine = system_.Get("/api/v1/order/orders", customer);
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  ASSERT_EQ(mine.body["items"].size(), 1u);
  EXPECT_EQ(mine.body["items"][0]["id"], id);
  EXPECT_EQ(mine.body["items"][0]["total_minor"], 2 * kPrice);
  shop().WaitForOrder(customer, id, {"PAID"});
}

// Scenarios 2 and 3 in our order of steps (stock first, then money; docs/saga.md): reserved, then
// paid, each step on the common status stream with the order's version; stock holds the units and
// the account paid the fixed price once.
TEST_F(Saga, Seed002Scenarios2And3_TheOrderIsReservedThenPaid) {
  EventTap tap(system_, {"order", "stock", "payment"});
  const std::string product = shop().CreateProduct(kPrice, 5);
  const std::string customer = shop().NewCustomer(10 * kPrice);
  const std::int64_t free_before = shop().StockOf(product)["free"];

  const Reply created = shop().PlaceOrder(customer, {{product, 3}}, "click-" + Unique());
  ASSERT_EQ(created.status, 202) << created.Describe();
  const std::string id = created.body["id"];
  const json paid = shop().WaitForOrder(customer, id, {"PAID"});
  EXPECT_EQ(paid["version"], 3);

  const auto& events = tap.CollectUntil([&](const auto& all) { return StatusStream(all, id).size() >= 3; });
  EXPECT_EQ(StatusStream(events, id), (std::vector<std::string>{"PENDING@1", "RESERVED@2", "PAID@3"}));
  std::vector<std::string> types;
  for (const auto& event : EventsOf(events, id)) {
    if (event["type"] != "OrderStatusChanged") types.push_back(event["type"]);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"OrderCreated", "StockReserved", "PaymentSucceeded"}));

  const json stock = shop().StockOf(product);
  EXPECT_EQ(stock["free"], free_before - 3);
  EXPECT_EQ(stock["reserved"], 3);
  EXPECT_EQ(shop().Balance(customer), 10 * kPrice - 3 * kPrice);
  const json payments = shop().PaymentsOf(customer, id);
  ASSERT_EQ(payments.size(), 1u) << payments.dump();
  EXPECT_EQ(payments[0]["status"], "CAPTURED");
  EXPECT_EQ(payments[0]["amount_minor"], 3 * kPrice);
}

// Scenario 8 (R11): the payment fails (not enough money) → CANCELLED, the reservation is released,
// nothing charged.
TEST_F(Saga, Seed002Scenario8_AFailedPaymentCancelsTheOrderAndReleasesTheStock) {
  const std::string product = shop().CreateProduct(kPrice, 4);
  const std::string customer = shop().NewCustomer(kPrice - 1);
  const Reply created = shop().PlaceOrder(customer, {{product, 1}}, "click-" + Unique());
  ASSERT_EQ(created.status, 202) << created.Describe();
  const json order = shop().WaitForOrder(customer, created.body["id"], {"CANCELLED"},
                                         [](const json& o) { return o.value("stock_released", false); });
  EXPECT_EQ(order["reason"], "insufficient_funds");
  const json stock = shop().StockOf(product);
  EXPECT_EQ(stock["free"], 4);
  EXPECT_EQ(stock["reserved"], 0);
  EXPECT_EQ(shop().Balance(customer), kPrice - 1);
  const json payments = shop().PaymentsOf(customer, created.body["id"]);
  ASSERT_EQ(payments.size(), 1u) << payments.dump();
  EXPECT_EQ(payments[0]["status"], "FAILED");
}

// Scenario 9 (R10): the reservation fails (not enough stock) → CANCELLED out_of_stock. Our saga
// reserves before it charges, so there is nothing to refund: the account is never touched.
TEST_F(Saga, Seed002Scenario9_AFailedReservationCancelsTheOrderAndChargesNothing) {
  const std::string product = shop().CreateProduct(kPrice, 1);
  const std::string customer = shop().NewCustomer(10 * kPrice);
  const Reply created = shop().PlaceOrder(customer, {{product, 2}}, "click-" + Unique());
  ASSERT_EQ(created.status, 202) << created.Describe();
  const json order = shop().WaitForOrder(customer, created.body["id"], {"CANCELLED"});
  EXPECT_EQ(order["reason"], "out_of_stock");
  EXPECT_EQ(shop().StockOf(product)["free"], 1);
  EXPECT_EQ(shop().Balance(customer), 10 * kPrice);
  // Payment heard only of the cancellation: at most a VOIDED record, never a charge.
  for (const auto& payment : shop().PaymentsOf(customer, created.body["id"])) {
    EXPECT_EQ(payment["status"], "VOIDED") << payment.dump();
  }
}

// R13 before payment: the payment service is down, so the order waits RESERVED; the customer
// cancels; stock comes back at once, and when payment returns the customer's money is whole
// whichever of StockReserved and OrderCancelled it reads first.
TEST_F(Saga, ACustomerCancelsBeforePaymentAndTheStockComesBack) {
  const std::string product = shop().CreateProduct(kPrice, 3);
  const std::string customer = shop().NewCustomer(10 * kPrice);
  system_.Stop("payment");
  const Reply created = shop().PlaceOrder(customer, {{product, 2}}, "click-" + Unique());
  ASSERT_EQ(created.status, 202) << created.Describe();
  const std::string id = created.body["id"];
  shop().WaitForOrder(customer, id, {"RESERVED"});

  const Reply cancelled = shop().Cancel(customer, id);
  ASSERT_EQ(cancelled.status, 200) << cancelled.Describe();
  EXPECT_EQ(cancelled.body["status"], "CANCELLED");
  EXPECT_EQ(cancelled.body["reason"], "customer_cancelled");
  shop().WaitForOrder(customer, id, {"CANCELLED"}, [](const json& o) { return o.value("stock_released", false); });
  EXPECT_EQ(shop().StockOf(product)["free"], 3);

  system_.Restart("payment");
  // The gateway sends traffic to payment again once its health check saw it ready.
  ASSERT_TRUE(testing::Eventually([&] { return system_.Get("/api/v1/payment/accounts/me", customer).status == 200; }));
  EXPECT_TRUE(testing::Eventually([&] { return shop().Balance(customer) == 10 * kPrice; }));
  // Cancelling again changes nothing.
  const Reply again = shop().Cancel(customer, id);
  EXPECT_EQ(again.status, 200) << again.Describe();
  EXPECT_EQ(again.body["version"], cancelled.body["version"]);
}

// R13 after payment: the money is refunded and the stock returned.
TEST_F(Saga, ACustomerCancelsAfterPaymentAndGetsARefund) {
  const std::string product = shop().CreateProduct(kPrice, 3);
  const std::string customer = shop().NewCustomer(10 * kPrice);
  const Reply created = shop().PlaceOrder(customer, {{product, 2}}, "click-" + Unique());
  ASSERT_EQ(created.status, 202) << created.Describe();
  const std::string id = created.body["id"];
  shop().WaitForOrder(customer, id, {"PAID"});
  EXPECT_EQ(shop().Balance(customer), 8 * kPrice);

  const Reply cancelled = shop().Cancel(customer, id);
  ASSERT_EQ(cancelled.status, 200) << cancelled.Describe();
  EXPECT_EQ(cancelled.body["status"], "CANCELLED");
  const json order = shop().WaitForOrder(customer, id, {"CANCELLED"}, [](const json& o) {
    return o.value("refunded", false) && o.value("stock_released", false);
  });
  EXPECT_EQ(order["reason"], "customer_cancelled");
  EXPECT_EQ(shop().Balance(customer), 10 * kPrice);
  EXPECT_EQ(shop().StockOf(product)["free"], 3);
  const json payments = shop().PaymentsOf(customer, id);
  ASSERT_EQ(payments.size(), 1u) << payments.dump();
  EXPECT_EQ(payments[0]["status"], "REFUNDED");
}

// R14: stock is stopped so orders stay unpaid while the requests race. Two requests of one click
// (same Idempotency-Key) make one order; a second unpaid order is refused with 409 naming the
// first — also when the two requests arrive at once at the two order replicas.
TEST_F(Saga, DoubleSubmitMakesOneOrderAndASecondUnpaidOrderIsRefused) {
  const std::string product = shop().CreateProduct(kPrice, 10);
  const std::string first = shop().NewCustomer(10 * kPrice);
  const std::string second = shop().NewCustomer(10 * kPrice);
  system_.Stop("stock");

  const std::string key = "click-" + Unique();
  auto twice = [&](const std::string& token, const std::string& key_a, const std::string& key_b) {
    auto a = std::async(std::launch::async, [&] { return shop().PlaceOrder(token, {{product, 1}}, key_a); });
    auto b = std::async(std::launch::async, [&] { return shop().PlaceOrder(token, {{product, 1}}, key_b); });
    return std::pair<Reply, Reply>{a.get(), b.get()};
  };
  const auto [same_a, same_b] = twice(first, key, key);
  ASSERT_EQ(same_a.status, 202) << same_a.Describe();
  ASSERT_EQ(same_b.status, 202) << same_b.Describe();
  EXPECT_EQ(same_a.body["id"], same_b.body["id"]);
  const std::string order_id = same_a.body["id"];
  EXPECT_EQ(system_.Get("/api/v1/order/orders", first).body["items"].size(), 1u);

  const Reply other_key = shop().PlaceOrder(first, {{product, 1}}, "click-" + Unique());
  EXPECT_EQ(other_key.status, 409) << other_key.Describe();
  EXPECT_EQ(other_key.body.value("existing_order_id", ""), order_id) << other_key.Describe();

  const auto [race_a, race_b] = twice(second, "click-" + Unique(), "click-" + Unique());
  std::multiset<int> statuses{race_a.status, race_b.status};
  EXPECT_EQ(statuses, (std::multiset<int>{202, 409})) << race_a.Describe() << "\n" << race_b.Describe();
  EXPECT_EQ(system_.Get("/api/v1/order/orders", second).body["items"].size(), 1u);

  system_.Restart("stock");
  shop().WaitForOrder(first, order_id, {"PAID"});
  const Reply& placed = race_a.status == 202 ? race_a : race_b;
  shop().WaitForOrder(second, placed.body["id"], {"PAID"});
  // Paid, the customer may order again.
  EXPECT_EQ(shop().PlaceOrder(first, {{product, 1}}, "click-" + Unique()).status, 202);
}

// 100 customers want the last 10 units at once: exactly 10 orders get them, the other 90 are
// cancelled out_of_stock and charged nothing; stock is never negative.
TEST_F(Saga, AHundredCustomersRaceForTheLastTenUnits) {
  const std::string product = shop().CreateProduct(kPrice, 10);
  constexpr int kCustomers = 100;
  std::vector<std::string> customers;
  for (int i = 0; i < kCustomers; ++i) {
    customers.push_back(system_.SignToken(core::NewUuid(), {"CUSTOMER"}, std::chrono::system_clock::now() + 1h));
    shop().Deposit(customers.back(), 2 * kPrice);
  }
  std::vector<std::future<Reply>> placing;
  for (const auto& customer : customers) {
    placing.push_back(std::async(std::launch::async,
                                 [&, customer] { return shop().PlaceOrder(customer, {{product, 1}}, "click-" + Unique()); }));
  }
  std::vector<std::string> ids;
  for (auto& reply : placing) {
    const Reply placed = reply.get();
    ASSERT_EQ(placed.status, 202) << placed.Describe();
    ids.push_back(placed.body["id"]);
  }
  int paid = 0;
  int out_of_stock = 0;
  for (int i = 0; i < kCustomers; ++i) {
    const json order = shop().WaitForOrder(customers[i], ids[i], {"PAID", "CANCELLED"});
    if (order["status"] == "PAID") ++paid;
    if (order.value("reason", json()) == "out_of_stock") ++out_of_stock;
    EXPECT_EQ(shop().Balance(customers[i]), order["status"] == "PAID" ? kPrice : 2 * kPrice);
  }
  EXPECT_EQ(paid, 10);
  EXPECT_EQ(out_of_stock, kCustomers - 10);
  const json stock = shop().StockOf(product);
  EXPECT_EQ(stock["free"], 0);
  EXPECT_EQ(stock["reserved"], 10);
  EXPECT_EQ(stock["in_stock"], false);
  // The catalogue learns the product sold out.
  EXPECT_TRUE(testing::Eventually([&] {
    return system_.Get("/api/v1/catalog/products/" + product).body.value("in_stock", true) == false;
  }));
}

// R2: every saga event of an order delivered again (same ids, as a relay re-publishing after a
// crash would) reaches each consumer's inbox, is recognised as a duplicate and changes nothing.
TEST_F(Saga, EventsDeliveredTwiceHaveOneEffect) {
  EventTap tap(system_, {"order", "stock", "payment"});
  const std::string product = shop().CreateProduct(kPrice, 5);
  const std::string customer = shop().NewCustomer(10 * kPrice);
  const Reply created = shop().PlaceOrder(customer, {{product, 1}}, "click-" + Unique());
  ASSERT_EQ(created.status, 202) << created.Describe();
  const std::string id = created.body["id"];
  const json paid = shop().WaitForOrder(customer, id, {"PAID"});
  const auto& events = tap.CollectUntil([&](const auto& all) { return StatusStream(all, id).size() >= 3; });

  const std::vector<std::string> orders = {"order-1", "order-2"};
  const double stock_duplicates = InboxCount({"stock"}, "stock", "OrderCreated", "duplicate");
  const double payment_duplicates = InboxCount({"payment"}, "payment", "StockReserved", "duplicate");
  const double order_duplicates = InboxCount(orders, "order", "PaymentSucceeded", "duplicate");
  for (const auto& event : EventsOf(events, id)) PublishEvent(system_, event);

  EXPECT_TRUE(testing::Eventually([&] {
    return InboxCount({"stock"}, "stock", "OrderCreated", "duplicate") == stock_duplicates + 1 &&
           InboxCount({"payment"}, "payment", "StockReserved", "duplicate") == payment_duplicates + 1 &&
           InboxCount(orders, "order", "PaymentSucceeded", "duplicate") == order_duplicates + 1;
  })) << "the consumers did not see the duplicates";
  EXPECT_EQ(shop().GetOrder(customer, id).body["version"], paid["version"]);
  EXPECT_EQ(shop().Balance(customer), 9 * kPrice);
  EXPECT_EQ(shop().StockOf(product)["reserved"], 1);
}

// R4 (seed hard case 1): a StockReserved that arrives after the order is PAID — here the same
// event re-sent under a new id, so the inbox cannot recognise it — is stale: the order stays PAID
// at its version, and payment does not charge the order a second time.
TEST_F(Saga, ALateStockReservedIsStaleAndChargesNothing) {
  EventTap tap(system_, {"stock"});
  const std::string product = shop().CreateProduct(kPrice, 5);
  const std::string customer = shop().NewCustomer(10 * kPrice);
  const Reply created = shop().PlaceOrder(customer, {{product, 1}}, "click-" + Unique());
  ASSERT_EQ(created.status, 202) << created.Describe();
  const std::string id = created.body["id"];
  const json paid = shop().WaitForOrder(customer, id, {"PAID"});
  const auto& events = tap.CollectUntil([&](const auto& all) {
    for (const auto& event : EventsOf(all, id)) {
      if (event["type"] == "StockReserved") return true;
    }
    return false;
  });
  json late;
  for (const auto& event : EventsOf(events, id)) {
    if (event["type"] == "StockReserved") late = event;
  }
  ASSERT_FALSE(late.is_null());
  late["id"] = core::NewUuid();

  const std::vector<std::string> orders = {"order-1", "order-2"};
  const double order_processed = InboxCount(orders, "order", "StockReserved", "processed");
  const double payment_processed = InboxCount({"payment"}, "payment", "StockReserved", "processed");
  PublishEvent(system_, late);
  EXPECT_TRUE(testing::Eventually([&] {
    return InboxCount(orders, "order", "StockReserved", "processed") == order_processed + 1 &&
           InboxCount({"payment"}, "payment", "StockReserved", "processed") == payment_processed + 1;
  })) << "the late event was not handled";
  const json after = shop().GetOrder(customer, id).body;
  EXPECT_EQ(after["status"], "PAID");
  EXPECT_EQ(after["version"], paid["version"]);
  EXPECT_EQ(shop().Balance(customer), 9 * kPrice);
  EXPECT_EQ(shop().PaymentsOf(customer, id).size(), 1u);
}

}  // namespace
}  // namespace microstore::e2e
