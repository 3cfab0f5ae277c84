// The payloads and aggregates of the events an order emits: the domain's typed events as the
// outbox rows infra/events.cpp writes.
#include "order/infra/events.hpp"

#include <gtest/gtest.h>

#include "order/domain/saga.hpp"

namespace microstore::order {
namespace {

using nlohmann::json;

Order SampleOrder() {
  Order order;
  order.id = "0f0e0d0c-0b0a-4908-8706-050403020100";
  order.customer_id = "c0ffee00-0000-4000-8000-000000000001";
  order.items = {{"11111111-1111-4111-8111-111111111111", "OAK-1", "Oak chair", 2, 649000, 1298000},
                 {"22222222-2222-4222-8222-222222222222", "LAMP-1", "Lamp", 1, 5000, 5000}};
  order.total_minor = 1303000;
  order.currency = "RUB";
  order.created_at = "2026-11-23T10:00:00.123Z";
  order.updated_at = "2026-11-23T10:00:00.123Z";
  order.idempotency_key = "k1";
  return order;
}

TEST(OrderEvents, CreationEmitsOrderCreatedAndTheFirstStatusChange) {
  const Order order = SampleOrder();
  const auto drafts = ToDrafts(CreationEvents(order));
  ASSERT_EQ(drafts.size(), 2u);
  const messaging::AggregateRef aggregate{"order", order.id, 1, "PENDING"};
  EXPECT_EQ(drafts[0].type, "OrderCreated");
  EXPECT_EQ(drafts[0].aggregate, aggregate);
  EXPECT_EQ(drafts[0].payload, (json{{"order_id", order.id},
                                     {"customer_id", order.customer_id},
                                     {"items",
                                      {{{"product_id", "11111111-1111-4111-8111-111111111111"},
                                        {"sku", "OAK-1"},
                                        {"name", "Oak chair"},
                                        {"quantity", 2},
                                        {"unit_price_minor", 649000},
                                        {"line_total_minor", 1298000}},
                                       {{"product_id", "22222222-2222-4222-8222-222222222222"},
                                        {"sku", "LAMP-1"},
                                        {"name", "Lamp"},
                                        {"quantity", 1},
                                        {"unit_price_minor", 5000},
                                        {"line_total_minor", 5000}}}},
                                     {"total_minor", 1303000},
                                     {"currency", "RUB"},
                                     {"created_at", "2026-11-23T10:00:00.123Z"}}));
  EXPECT_EQ(drafts[1].type, "OrderStatusChanged");
  EXPECT_EQ(drafts[1].aggregate, aggregate);
  EXPECT_EQ(drafts[1].payload, (json{{"order_id", order.id},
                                     {"customer_id", order.customer_id},
                                     {"status", "PENDING"},
                                     {"previous_status", nullptr},
                                     {"reason", nullptr},
                                     {"version", 1},
                                     {"changed_at", "2026-11-23T10:00:00.123Z"}}));
}

TEST(OrderEvents, AMoveToPaidEmitsOnlyTheStatusChange) {
  const Order order = SampleOrder();
  const auto decision = Decide(order, saga::PaymentSucceeded{1}, "2026-11-23T10:00:01.000Z");
  const auto drafts = ToDrafts(core::ChangedOf(decision).events);
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0].aggregate, (messaging::AggregateRef{"order", order.id, 2, "PAID"}));
  EXPECT_EQ(drafts[0].payload["status"], "PAID");
  EXPECT_EQ(drafts[0].payload["previous_status"], "PENDING");
  EXPECT_EQ(drafts[0].payload["reason"], nullptr);
  EXPECT_EQ(drafts[0].payload["version"], 2);
  EXPECT_EQ(drafts[0].payload["changed_at"], "2026-11-23T10:00:01.000Z");
}

TEST(OrderEvents, AMoveToCancelledAlsoEmitsOrderCancelled) {
  Order order = SampleOrder();
  order.state = {.status = OrderStatus::kReserved, .reason = {}, .version = 2, .reservation_version = 1};
  const auto decision = Decide(order, saga::PaymentFailed{1, "insufficient_funds"}, "2026-11-23T10:00:02.000Z");
  const auto drafts = ToDrafts(core::ChangedOf(decision).events);
  ASSERT_EQ(drafts.size(), 2u);
  const messaging::AggregateRef aggregate{"order", order.id, 3, "CANCELLED"};
  EXPECT_EQ(drafts[0].type, "OrderStatusChanged");
  EXPECT_EQ(drafts[0].aggregate, aggregate);
  EXPECT_EQ(drafts[0].payload, (json{{"order_id", order.id},
                                     {"customer_id", order.customer_id},
                                     {"status", "CANCELLED"},
                                     {"previous_status", "RESERVED"},
                                     {"reason", "insufficient_funds"},
                                     {"version", 3},
                                     {"changed_at", "2026-11-23T10:00:02.000Z"}}));
  EXPECT_EQ(drafts[1].type, "OrderCancelled");
  EXPECT_EQ(drafts[1].aggregate, aggregate);
  EXPECT_EQ(drafts[1].payload,
            (json{{"order_id", order.id},
                  {"customer_id", order.customer_id},
                  {"reason", "insufficient_funds"},
                  {"previous_status", "RESERVED"},
                  {"version", 3},
                  {"items",
                   {{{"product_id", "11111111-1111-4111-8111-111111111111"}, {"quantity", 2}},
                    {{"product_id", "22222222-2222-4222-8222-222222222222"}, {"quantity", 1}}}},
                  {"total_minor", 1303000},
                  {"currency", "RUB"},
                  {"cancelled_at", "2026-11-23T10:00:02.000Z"}}));
}

TEST(OrderStatusNames, RoundTrip) {
  for (const OrderStatus status : kAllStatuses) EXPECT_EQ(ParseStatus(ToString(status)), status);
  EXPECT_EQ(ParseStatus("pending"), std::nullopt);
  for (const CancelReason reason : {CancelReason::kOutOfStock, CancelReason::kInsufficientFunds,
                                    CancelReason::kPaymentFailed, CancelReason::kCustomerCancelled}) {
    EXPECT_EQ(ParseCancelReason(ToString(reason)), reason);
  }
  EXPECT_EQ(ParseCancelReason("OUT_OF_STOCK"), std::nullopt);
}

}  // namespace
}  // namespace microstore::order
