// The order service's event handlers against a real database, fed through a real
// messaging::Inbox as the consumer would: the product copy and its version guard, and the saga's
// events moving orders (duplicates, stale and out-of-order events, poison).
#include <gtest/gtest.h>

#include "harness.hpp"

namespace microstore::order::testing {
namespace {

using auth::Role;
using nlohmann::json;
using Kind = amqp::Outcome::Kind;
using messaging::Envelope;

const std::string kChair = "11111111-1111-4111-8111-111111111111";
const std::string kAlice = "a11ce000-0000-4000-8000-000000000001";

std::vector<Kind> Acks(std::size_t n) { return std::vector<Kind>(n, Kind::kAck); }

// Stock's and payment's events about `order` (its JSON), as the contract describes them.
Envelope StockReserved(const json& order) {
  return ProducedEvent("stock", "StockReserved", {"reservation", order["id"], 1, "BOOKED"},
                       {{"order_id", order["id"]},
                        {"customer_id", order["customer_id"]},
                        {"order_version", 1},
                        {"items", {{{"product_id", kChair}, {"quantity", 1}}}},
                        {"total_minor", order["total_minor"]},
                        {"currency", order["currency"]}});
}
Envelope StockReservationFailed(const json& order) {
  return ProducedEvent("stock", "StockReservationFailed", {"reservation", order["id"], 1, "FAILED"},
                       {{"order_id", order["id"]},
                        {"customer_id", order["customer_id"]},
                        {"order_version", 1},
                        {"reason", "out_of_stock"},
                        {"missing", {{{"product_id", kChair}, {"requested", 1}, {"available", 0}}}}});
}
Envelope StockReleased(const json& order, const std::string& reason) {
  return ProducedEvent("stock", "StockReleased", {"reservation", order["id"], 2, "RELEASED"},
                       {{"order_id", order["id"]},
                        {"customer_id", order["customer_id"]},
                        {"reason", reason},
                        {"items", {{{"product_id", kChair}, {"quantity", 1}}}}});
}
json PaymentPayload(const json& order) {
  return {{"order_id", order["id"]},
          {"customer_id", order["customer_id"]},
          {"payment_id", "9a9a9a9a-0000-4000-8000-000000000009"},
          {"amount_minor", order["total_minor"]},
          {"currency", order["currency"]},
          {"order_version", 2}};
}
Envelope PaymentSucceeded(const json& order) {
  return ProducedEvent("payment", "PaymentSucceeded", {"payment", order["id"], 1, "CAPTURED"},
                       PaymentPayload(order));
}
Envelope PaymentFailed(const json& order, const std::string& reason) {
  json payload = PaymentPayload(order);
  payload["reason"] = reason;
  return ProducedEvent("payment", "PaymentFailed", {"payment", order["id"], 1, "FAILED"}, payload);
}
Envelope PaymentRefunded(const json& order) {
  json payload = PaymentPayload(order);
  payload.erase("order_version");
  payload["reason"] = "order_cancelled";
  return ProducedEvent("payment", "PaymentRefunded", {"payment", order["id"], 2, "REFUNDED"}, payload);
}

class OrderEvents : public ::testing::Test {
 protected:
  void SetUp() override { server_.AddProduct(kChair, "OAK-CHAIR", 649000); }

  json Place() {
    const Reply reply =
        server_.PlaceOrder(kAlice, OrderBody({{kChair, 1}}), "key-" + std::to_string(++placed_));
    EXPECT_EQ(reply.status, 202) << reply.text;
    return reply.body;
  }
  json Current(const json& order) {
    return server_.GetAs(kAlice, {Role::kCustomer}, "/api/v1/orders/" + order["id"].get<std::string>()).body;
  }
  int OutboxCount() { return std::stoi(server_.Sql("SELECT count(*) FROM outbox")); }
  std::string Copy(const std::string& columns) {
    return server_.Sql("SELECT " + columns + " FROM product_copies WHERE product_id = '" + kChair + "'");
  }

  OrderServer server_;
  int placed_ = 0;
};

TEST_F(OrderEvents, TheHappyPathReservesThenPaysEmittingStatusChangesCausedByTheEvents) {
  const json order = Place();
  const Envelope reserved = StockReserved(order);
  EXPECT_EQ(server_.Deliver({reserved}), Acks(1));
  json current = Current(order);
  EXPECT_EQ(current["status"], "RESERVED");
  EXPECT_EQ(current["version"], 2);

  auto events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 3u);
  const json& changed = events[2].envelope;
  EXPECT_EQ(events[2].type, "OrderStatusChanged");
  EXPECT_EQ(changed["aggregate"],
            (json{{"type", "order"}, {"id", order["id"]}, {"version", 2}, {"status", "RESERVED"}}));
  EXPECT_EQ(changed["correlation_id"], reserved.correlation_id);
  EXPECT_EQ(changed["causation_id"], reserved.id);
  EXPECT_EQ(changed["node_id"], "order-test-node");
  EXPECT_EQ(changed["payload"], (json{{"order_id", order["id"]},
                                      {"customer_id", kAlice},
                                      {"status", "RESERVED"},
                                      {"previous_status", "PENDING"},
                                      {"reason", nullptr},
                                      {"version", 2},
                                      {"changed_at", current["updated_at"]}}));

  EXPECT_EQ(server_.Deliver({PaymentSucceeded(order)}), Acks(1));
  current = Current(order);
  EXPECT_EQ(current["status"], "PAID");
  EXPECT_EQ(current["version"], 3);
  events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[3].envelope["payload"]["previous_status"], "RESERVED");
  EXPECT_EQ(events[3].envelope["aggregate"]["status"], "PAID");

  // Paid: the customer may place the next order.
  EXPECT_EQ(server_.PlaceOrder(kAlice, OrderBody({{kChair, 1}}), "next").status, 202);
}

TEST_F(OrderEvents, ADuplicateEventHasOneEffect) {
  const json order = Place();
  const Envelope reserved = StockReserved(order);
  EXPECT_EQ(server_.Deliver({reserved, reserved}), Acks(2));
  EXPECT_EQ(Current(order)["version"], 2);
  EXPECT_EQ(OutboxCount(), 3);
  EXPECT_EQ(server_.Sql("SELECT count(*) FROM inbox WHERE consumer = 'order'"),
            "2");  // product + reservation
}

TEST_F(OrderEvents, ALateReservationAfterThePaymentLeavesTheOrderPaidAtItsVersion) {
  const json order = Place();
  EXPECT_EQ(server_.Deliver({PaymentSucceeded(order)}), Acks(1));
  json current = Current(order);
  ASSERT_EQ(current["status"], "PAID");
  ASSERT_EQ(current["version"], 2);
  EXPECT_EQ(server_.Deliver({StockReserved(order)}), Acks(1));  // stale: acknowledged, dropped
  EXPECT_EQ(Current(order), current);
  EXPECT_EQ(OutboxCount(), 3);
}

TEST_F(OrderEvents, InsufficientFundsCancelsAndTheReleaseIsRecordedWithoutANewVersion) {
  const json order = Place();
  EXPECT_EQ(server_.Deliver({StockReserved(order), PaymentFailed(order, "insufficient_funds")}), Acks(2));
  json current = Current(order);
  EXPECT_EQ(current["status"], "CANCELLED");
  EXPECT_EQ(current["reason"], "insufficient_funds");
  EXPECT_EQ(current["version"], 3);

  auto events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[3].type, "OrderStatusChanged");
  EXPECT_EQ(events[3].envelope["payload"]["reason"], "insufficient_funds");
  EXPECT_EQ(events[4].type, "OrderCancelled");
  EXPECT_EQ(events[4].envelope["aggregate"],
            (json{{"type", "order"}, {"id", order["id"]}, {"version", 3}, {"status", "CANCELLED"}}));
  EXPECT_EQ(events[4].envelope["payload"], (json{{"order_id", order["id"]},
                                                 {"customer_id", kAlice},
                                                 {"reason", "insufficient_funds"},
                                                 {"previous_status", "RESERVED"},
                                                 {"version", 3},
                                                 {"items", {{{"product_id", kChair}, {"quantity", 1}}}},
                                                 {"total_minor", 649000},
                                                 {"currency", "RUB"},
                                                 {"cancelled_at", current["updated_at"]}}));

  EXPECT_EQ(server_.Deliver({StockReleased(order, "payment_failed")}), Acks(1));
  current = Current(order);
  EXPECT_EQ(current["stock_released"], true);
  EXPECT_EQ(current["version"], 3);
  EXPECT_EQ(OutboxCount(), 5);
}

TEST_F(OrderEvents, OutOfStockCancels) {
  const json order = Place();
  EXPECT_EQ(server_.Deliver({StockReservationFailed(order)}), Acks(1));
  const json current = Current(order);
  EXPECT_EQ(current["status"], "CANCELLED");
  EXPECT_EQ(current["reason"], "out_of_stock");
  EXPECT_EQ(server_.OutboxEvents().back().type, "OrderCancelled");
}

TEST_F(OrderEvents, ACancelAfterPaymentEndsRefundedAndReleasedWhateverTheOrderOfTheConfirmations) {
  const json order = Place();
  EXPECT_EQ(server_.Deliver({PaymentSucceeded(order)}), Acks(1));
  const Reply cancelled = server_.PostAs(kAlice, {Role::kCustomer},
                                         "/api/v1/orders/" + order["id"].get<std::string>() + "/cancel");
  ASSERT_EQ(cancelled.status, 200);
  EXPECT_EQ(cancelled.body["version"], 3);
  EXPECT_EQ(server_.OutboxEvents().back().envelope["payload"]["previous_status"], "PAID");
  EXPECT_EQ(server_.Deliver(
                {PaymentRefunded(order), StockReserved(order), StockReleased(order, "order_cancelled")}),
            Acks(3));
  const json current = Current(order);
  EXPECT_EQ(current["status"], "CANCELLED");
  EXPECT_EQ(current["reason"], "customer_cancelled");
  EXPECT_EQ(current["refunded"], true);
  EXPECT_EQ(current["stock_released"], true);
  EXPECT_EQ(current["version"], 3);
}

TEST_F(OrderEvents, UnusableEventsAreDeadLetteredAtOnce) {
  const json order = Place();
  json unknown = order;
  unknown["id"] = "44444444-4444-4444-8444-444444444444";
  Envelope not_a_uuid = StockReserved(order);
  not_a_uuid.payload["order_id"] = "42";
  Envelope no_reason = PaymentFailed(order, "insufficient_funds");
  no_reason.payload.erase("reason");
  Envelope bad_product = ProductEvent("ProductCreated", kChair, "OAK-CHAIR", 1, "RUB", 5);
  bad_product.payload["price_minor"] = "free";
  EXPECT_EQ(server_.Deliver({StockReserved(unknown), not_a_uuid, no_reason, bad_product}),
            std::vector<Kind>(4, Kind::kDeadLetter));
  EXPECT_EQ(Current(order)["version"], 1);
  EXPECT_EQ(Copy("price_minor"), "649000");
}

TEST_F(OrderEvents, TheProductCopyKeepsTheNewestCatalogueVersion) {
  EXPECT_EQ(Copy("sku || ' ' || name || ' ' || price_minor || ' ' || version || ' ' || price_version"),
            "OAK-CHAIR Product OAK-CHAIR 649000 1 1");
  // Version 3 (a rename and a price change) arrives before version 2.
  const auto updated = [](std::int64_t version, std::int64_t price, const std::string& sku) {
    return ProductEvent("ProductUpdated", kChair, sku, price, "RUB", version);
  };
  const Envelope price3 = ProducedEvent("catalog", "ProductPriceChanged", {"product", kChair, 3, "ACTIVE"},
                                        {{"product_id", kChair},
                                         {"sku", "OAK-CHAIR-3"},
                                         {"old_price_minor", 700000},
                                         {"price_minor", 800000},
                                         {"currency", "RUB"}});
  EXPECT_EQ(server_.Deliver({price3}), Acks(1));
  EXPECT_EQ(Copy("price_minor || ' ' || version || ' ' || price_version"), "800000 1 3");
  EXPECT_EQ(server_.Deliver({updated(3, 800000, "OAK-CHAIR-3"), updated(2, 700000, "OAK-CHAIR-2")}), Acks(2));
  EXPECT_EQ(Copy("sku || ' ' || price_minor || ' ' || version || ' ' || price_version"),
            "OAK-CHAIR-3 800000 3 3");
  // The same event twice, and a stale repeat of version 1 under a new id: no effect.
  const Envelope v1 = updated(1, 1, "OLD");
  EXPECT_EQ(server_.Deliver({v1, v1}), Acks(2));
  EXPECT_EQ(Copy("sku || ' ' || price_minor || ' ' || version"), "OAK-CHAIR-3 800000 3");
  // Orders are priced from the copy.
  EXPECT_EQ(Place()["total_minor"], 800000);

  const Envelope archived = ProducedEvent("catalog", "ProductArchived", {"product", kChair, 4, "ARCHIVED"},
                                          {{"product_id", kChair}, {"sku", "OAK-CHAIR-3"}});
  EXPECT_EQ(server_.Deliver({archived, updated(3, 1, "OAK-CHAIR-3")}), Acks(2));
  EXPECT_EQ(Copy("archived::text || ' ' || version"), "true 4");
}

TEST_F(OrderEvents, AProductKnownOnlyByItsPriceCannotBeOrderedYet) {
  const std::string lamp = "33333333-3333-4333-8333-333333333333";
  const Envelope price = ProducedEvent("catalog", "ProductPriceChanged", {"product", lamp, 2, "ACTIVE"},
                                       {{"product_id", lamp},
                                        {"sku", "LAMP"},
                                        {"old_price_minor", 1},
                                        {"price_minor", 2},
                                        {"currency", "RUB"}});
  EXPECT_EQ(server_.Deliver({price}), Acks(1));
  const Reply reply = server_.PlaceOrder(kAlice, OrderBody({{lamp, 1}}), "key-lamp");
  EXPECT_EQ(reply.status, 422) << reply.text;
  EXPECT_EQ(server_.Deliver({ProductEvent("ProductUpdated", lamp, "LAMP", 2, "RUB", 2)}), Acks(1));
  EXPECT_EQ(server_.PlaceOrder(kAlice, OrderBody({{lamp, 1}}), "key-lamp").status, 202);
}

}  // namespace
}  // namespace microstore::order::testing
