// The event handlers against a real database, fed through a real inbox: what each consumed event
// changes, the events it leaves in the outbox, duplicates, and concurrent orders that must never
// oversell or deadlock.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace microstore::stock::testing {
namespace {

using nlohmann::json;

const std::string kChair = Id('a', 1);
const std::string kTable = Id('a', 2);
const std::string kLamp = Id('a', 3);
const std::string kCustomer = "c0000000-0000-4000-8000-000000000001";

class StockEvents : public ::testing::Test {
 protected:
  std::string Item(const std::string& product) {
    return stock_.Sql(
        "SELECT free || '/' || reserved || '/' || shipped || ' v' || version FROM stock_items "
        "WHERE product_id = '" +
        product + "'");
  }
  std::string Reservation(const std::string& order) {
    return stock_.Sql("SELECT status || ' v' || version FROM reservations WHERE order_id = '" + order + "'");
  }
  // Every envelope stock emitted, with the fields every event must carry checked.
  std::vector<OutboxEvent> Emitted(const std::string& type) {
    auto events = stock_.OutboxEvents(type);
    for (const auto& event : events) {
      EXPECT_EQ(event.envelope["producer"], "stock");
      EXPECT_EQ(event.envelope["node_id"], kNodeId);
      EXPECT_EQ(event.envelope["schema_version"], 1);
    }
    return events;
  }

  StockHarness stock_;
};

TEST_F(StockEvents, ProductCreatedOpensAnEmptyItemOnceAndAnnouncesIt) {
  const auto created = ProductCreatedEvent(kChair);
  EXPECT_EQ(Outcomes(stock_.Deliver({created, created})), "ack ack");
  EXPECT_EQ(Item(kChair), "0/0/0 v1");
  // Another ProductCreated for the same product (a replay from catalog's side) changes nothing.
  EXPECT_EQ(Outcomes(stock_.Deliver({ProductCreatedEvent(kChair)})), "ack");
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM stock_items"), 1);

  const auto events = Emitted("StockLevelChanged");
  ASSERT_EQ(events.size(), 1u);
  const json& event = events[0].envelope;
  EXPECT_EQ(event["aggregate"],
            (json{{"type", "stock_item"}, {"id", kChair}, {"version", 1}, {"status", "OUT_OF_STOCK"}}));
  EXPECT_EQ(event["payload"], (json{{"product_id", kChair},
                                    {"free", 0},
                                    {"reserved", 0},
                                    {"shipped", 0},
                                    {"in_stock", false},
                                    {"version", 1},
                                    {"cause", "product_created"}}));
  EXPECT_EQ(event["correlation_id"], created.correlation_id);
  EXPECT_EQ(event["causation_id"], created.id);
  EXPECT_EQ(stock_.Sql("SELECT exchange || ' ' || routing_key FROM outbox"),
            "microstore.stock StockLevelChanged");
}

TEST_F(StockEvents, OrderCreatedReservesEveryLineAndEmitsStockReserved) {
  stock_.AddProduct(kChair, 10);
  stock_.AddProduct(kTable, 3);
  const std::string order = Id('0', 1);
  const auto created = OrderCreatedEvent(order, {{kChair, 2}, {kTable, 3}});
  // The same event delivered twice has one effect.
  EXPECT_EQ(Outcomes(stock_.Deliver({created, created})), "ack ack");

  EXPECT_EQ(Item(kChair), "8/2/0 v3");
  EXPECT_EQ(Item(kTable), "0/3/0 v3");
  EXPECT_EQ(Reservation(order), "BOOKED v1");
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM stock_movements WHERE kind = 'reservation' AND order_id = '" +
                         order + "'"),
            2);

  const auto reserved = Emitted("StockReserved");
  ASSERT_EQ(reserved.size(), 1u);
  const json& event = reserved[0].envelope;
  EXPECT_EQ(event["aggregate"],
            (json{{"type", "reservation"}, {"id", order}, {"version", 1}, {"status", "BOOKED"}}));
  EXPECT_EQ(
      event["payload"],
      (json{{"order_id", order},
            {"customer_id", kCustomer},
            {"order_version", 1},
            {"items", {{{"product_id", kChair}, {"quantity", 2}}, {{"product_id", kTable}, {"quantity", 3}}}},
            {"total_minor", 50000},
            {"currency", "RUB"}}));
  EXPECT_EQ(event["correlation_id"], created.correlation_id);
  EXPECT_EQ(event["causation_id"], created.id);

  // The table's last units went: the catalogue hears it is out of stock; the chair did not flip.
  const auto levels = Emitted("StockLevelChanged");
  ASSERT_EQ(levels.size(), 5u);  // 2 product_created, 2 restock, 1 reservation
  EXPECT_EQ(levels[4].envelope["payload"], (json{{"product_id", kTable},
                                                 {"free", 0},
                                                 {"reserved", 3},
                                                 {"shipped", 0},
                                                 {"in_stock", false},
                                                 {"version", 3},
                                                 {"cause", "reservation"}}));
  EXPECT_EQ(levels[4].envelope["aggregate"]["status"], "OUT_OF_STOCK");
}

TEST_F(StockEvents, AShortLineFailsTheOrderListingEveryMissingProductAndBooksNothing) {
  stock_.AddProduct(kChair, 1);
  stock_.AddProduct(kTable, 5);
  const std::string order = Id('0', 2);
  EXPECT_EQ(Outcomes(stock_.Deliver({OrderCreatedEvent(order, {{kTable, 2}, {kChair, 2}, {kLamp, 1}})})),
            "ack");

  EXPECT_EQ(Item(kChair), "1/0/0 v2");
  EXPECT_EQ(Item(kTable), "5/0/0 v2");
  EXPECT_EQ(Reservation(order), "FAILED v1");
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM stock_movements WHERE kind = 'reservation'"), 0);
  EXPECT_TRUE(Emitted("StockReserved").empty());
  const auto failed = Emitted("StockReservationFailed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].envelope["aggregate"],
            (json{{"type", "reservation"}, {"id", order}, {"version", 1}, {"status", "FAILED"}}));
  EXPECT_EQ(failed[0].envelope["payload"],
            (json{{"order_id", order},
                  {"customer_id", kCustomer},
                  {"order_version", 1},
                  {"reason", "out_of_stock"},
                  {"missing",
                   {{{"product_id", kChair}, {"requested", 2}, {"available", 1}},
                    {{"product_id", kLamp}, {"requested", 1}, {"available", 0}}}}}));
}

TEST_F(StockEvents, CancelBeforeCreateLeavesATombstoneThatBooksNothingLater) {
  stock_.AddProduct(kChair, 4);
  const std::string order = Id('0', 3);
  const auto events_before = stock_.OutboxEvents().size();
  EXPECT_EQ(Outcomes(stock_.Deliver({OrderCancelledEvent(order)})), "ack");
  EXPECT_EQ(Reservation(order), "CANCELLED v1");
  EXPECT_EQ(stock_.OutboxEvents().size(), events_before);

  EXPECT_EQ(Outcomes(stock_.Deliver({OrderCreatedEvent(order, {{kChair, 2}})})), "ack");
  EXPECT_EQ(Reservation(order), "CANCELLED v1");
  EXPECT_EQ(Item(kChair), "4/0/0 v2");
  EXPECT_EQ(stock_.OutboxEvents().size(), events_before);
}

TEST_F(StockEvents, PaymentFailedReleasesABookingOnce) {
  stock_.AddProduct(kChair, 2);
  const std::string order = Id('0', 4);
  EXPECT_EQ(Outcomes(stock_.Deliver({OrderCreatedEvent(order, {{kChair, 2}})})), "ack");
  EXPECT_EQ(Item(kChair), "0/2/0 v3");

  const auto failed = PaymentFailedEvent(order);
  EXPECT_EQ(Outcomes(stock_.Deliver({failed, failed, PaymentFailedEvent(order), OrderCancelledEvent(order)})),
            "ack ack ack ack");
  EXPECT_EQ(Item(kChair), "2/0/0 v4");
  EXPECT_EQ(Reservation(order), "RELEASED v2");
  EXPECT_EQ(stock_.Sql("SELECT reason FROM reservations WHERE order_id = '" + order + "'"), "payment_failed");
  EXPECT_EQ(
      stock_.Sql("SELECT string_agg(kind || ' ' || delta || ' ' || coalesce(reason, '-'), ', ' ORDER BY id) "
                 "FROM stock_movements"),
      "restock 2 initial, reservation -2 -, release 2 payment_failed");

  const auto released = Emitted("StockReleased");
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].envelope["aggregate"],
            (json{{"type", "reservation"}, {"id", order}, {"version", 2}, {"status", "RELEASED"}}));
  EXPECT_EQ(released[0].envelope["payload"], (json{{"order_id", order},
                                                   {"customer_id", kCustomer},
                                                   {"reason", "payment_failed"},
                                                   {"items", {{{"product_id", kChair}, {"quantity", 2}}}}}));
  EXPECT_EQ(released[0].envelope["causation_id"], failed.id);
  // Out of stock on booking, back in stock on release.
  const auto levels = Emitted("StockLevelChanged");
  ASSERT_EQ(levels.size(), 4u);
  EXPECT_EQ(levels[2].envelope["payload"]["cause"], "reservation");
  EXPECT_EQ(levels[3].envelope["payload"]["cause"], "release");
  EXPECT_EQ(levels[3].envelope["aggregate"],
            (json{{"type", "stock_item"}, {"id", kChair}, {"version", 4}, {"status", "IN_STOCK"}}));
}

TEST_F(StockEvents, OrderCancelledReleasesABookingOnce) {
  stock_.AddProduct(kChair, 5);
  const std::string order = Id('0', 5);
  EXPECT_EQ(Outcomes(stock_.Deliver({OrderCreatedEvent(order, {{kChair, 2}})})), "ack");
  EXPECT_EQ(Outcomes(stock_.Deliver(
                {OrderCancelledEvent(order), OrderCancelledEvent(order), PaymentFailedEvent(order)})),
            "ack ack ack");
  EXPECT_EQ(Item(kChair), "5/0/0 v4");
  EXPECT_EQ(Reservation(order), "RELEASED v2");
  const auto released = Emitted("StockReleased");
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].envelope["payload"]["reason"], "order_cancelled");
}

TEST_F(StockEvents, PaymentFailedWithoutAReservationLeavesNoTrace) {
  const std::string order = Id('0', 6);
  EXPECT_EQ(Outcomes(stock_.Deliver({PaymentFailedEvent(order)})), "ack");
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM reservations"), 0);
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM outbox"), 0);
  // The event is recorded as handled all the same.
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM inbox"), 1);
}

TEST_F(StockEvents, AnUnusablePayloadIsDeadLetteredWithNoEffect) {
  stock_.AddProduct(kChair, 5);
  auto no_items = OrderCreatedEvent(Id('0', 7), {{kChair, 1}});
  no_items.payload["items"] = json::array();
  auto bad_quantity = OrderCreatedEvent(Id('0', 8), {{kChair, 1}});
  bad_quantity.payload["items"][0]["quantity"] = 0;
  auto bad_product = ProductCreatedEvent(kTable);
  bad_product.payload["product_id"] = "42";
  auto no_order = PaymentFailedEvent(Id('0', 9));
  no_order.payload.erase("order_id");
  EXPECT_EQ(Outcomes(stock_.Deliver({no_items, bad_quantity, bad_product, no_order})),
            "dead_letter dead_letter dead_letter dead_letter");
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM reservations"), 0);
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM stock_items"), 1);
  EXPECT_EQ(Item(kChair), "5/0/0 v2");
}

TEST_F(StockEvents, HundredConcurrentOrdersForTenUnitsBookExactlyTen) {
  stock_.AddProduct(kChair, 10);
  std::vector<messaging::Envelope> orders;
  for (int i = 0; i < 100; ++i) orders.push_back(OrderCreatedEvent(Id('0', 100 + i), {{kChair, 1}}));
  EXPECT_EQ(Tally(stock_.DeliverConcurrently(orders, 8)), "100 ack");

  EXPECT_EQ(stock_.Count("SELECT count(*) FROM reservations WHERE status = 'BOOKED'"), 10);
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM reservations WHERE status = 'FAILED'"), 90);
  EXPECT_EQ(Item(kChair), "0/10/0 v12");
  EXPECT_EQ(Emitted("StockReserved").size(), 10u);
  EXPECT_EQ(Emitted("StockReservationFailed").size(), 90u);
  // Free never went below zero on the way: every intermediate level is in the audit log.
  EXPECT_EQ(stock_.Sql("SELECT min(free_after) || '..' || max(free_after) FROM stock_movements "
                       "WHERE kind = 'reservation'"),
            "0..9");
  EXPECT_EQ(stock_.Count("SELECT count(DISTINCT free_after) FROM stock_movements WHERE kind = 'reservation'"),
            10);
}

TEST_F(StockEvents, ConcurrentMultiProductOrdersInOppositeOrdersNeitherDeadlockNorLoseStock) {
  stock_.AddProduct(kChair, 30);
  stock_.AddProduct(kTable, 30);
  std::vector<messaging::Envelope> orders;
  for (int i = 0; i < 80; ++i) {
    const std::vector<OrderLine> lines = i % 2 == 0 ? std::vector<OrderLine>{{kChair, 1}, {kTable, 1}}
                                                    : std::vector<OrderLine>{{kTable, 1}, {kChair, 1}};
    orders.push_back(OrderCreatedEvent(Id('0', 200 + i), lines));
  }
  // Every order handled at its first attempt: a deadlock would be re-run and, repeated, retried.
  EXPECT_EQ(Tally(stock_.DeliverConcurrently(orders, 8)), "80 ack");
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM reservations WHERE status = 'BOOKED'"), 30);
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM reservations WHERE status = 'FAILED'"), 50);
  EXPECT_EQ(Item(kChair), "0/30/0 v32");
  EXPECT_EQ(Item(kTable), "0/30/0 v32");

  // Then every booked order is cancelled or its payment fails, concurrently: all stock comes back.
  std::vector<messaging::Envelope> compensations;
  for (int i = 0; i < 80; ++i) {
    compensations.push_back(i % 3 == 0 ? PaymentFailedEvent(Id('0', 200 + i))
                                       : OrderCancelledEvent(Id('0', 200 + i)));
  }
  EXPECT_EQ(Tally(stock_.DeliverConcurrently(compensations, 8)), "80 ack");
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM reservations WHERE status = 'RELEASED'"), 30);
  EXPECT_EQ(
      stock_.Sql("SELECT string_agg(free || '/' || reserved, ' ' ORDER BY product_id) FROM stock_items"),
      "30/0 30/0");
}

TEST_F(StockEvents, CreationAndCancellationOfTheSameOrdersRacingAlwaysEndWithTheStockBack) {
  stock_.AddProduct(kChair, 100);
  std::vector<messaging::Envelope> events;
  for (int i = 0; i < 40; ++i) {
    const std::string order = Id('0', 300 + i);
    // Half arrive cancel-first, half create-first; the inbox runs them all at once.
    if (i % 2 == 0) {
      events.push_back(OrderCancelledEvent(order));
      events.push_back(OrderCreatedEvent(order, {{kChair, 2}}));
    } else {
      events.push_back(OrderCreatedEvent(order, {{kChair, 2}}));
      events.push_back(OrderCancelledEvent(order));
    }
  }
  EXPECT_EQ(Tally(stock_.DeliverConcurrently(events, 8)), "80 ack");
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM reservations WHERE status IN ('RELEASED', 'CANCELLED')"), 40);
  EXPECT_EQ(stock_.Count("SELECT count(*) FROM reservations"), 40);
  EXPECT_EQ(stock_.Sql("SELECT free || '/' || reserved FROM stock_items"), "100/0");
  EXPECT_EQ(Emitted("StockReserved").size(), Emitted("StockReleased").size());
}

}  // namespace
}  // namespace microstore::stock::testing
