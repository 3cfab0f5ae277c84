// The saga's payment step against a real database, through the inbox as the consumer drives it:
// charges, failures, refunds and tombstones, duplicates and races, the events left in the outbox,
// and the ledger identity after all of it.
#include <gtest/gtest.h>

#include "platform/core/ids.hpp"
#include "harness.hpp"

namespace microstore::payment::testing {
namespace {

using auth::Role;
using Kind = amqp::Outcome::Kind;
using nlohmann::json;

class PaymentHandlers : public ::testing::Test {
 protected:
  // Deposits `amount` for `customer` over HTTP (a fresh key each time).
  void Fund(const std::string& customer, std::int64_t amount) {
    const Reply reply = server_.Deposit(customer, amount, core::NewUuid());
    ASSERT_EQ(reply.status, 201) << reply.text;
  }

  int Count(const std::string& sql) { return std::stoi(server_.Sql(sql)); }
  int Payments(const std::string& order) {
    return Count("SELECT count(*) FROM payments WHERE order_id = '" + order + "'");
  }
  int Entries(const std::string& kind) {
    return Count("SELECT count(*) FROM ledger_entries WHERE kind = '" + kind + "'");
  }
  std::string PaymentStatus(const std::string& order) {
    return server_.Sql("SELECT status FROM payments WHERE order_id = '" + order + "'");
  }

  // deposits = balances + captured − refunded, from the operator's route and from the tables;
  // and every customer's ledger replays to their balance, never negative on the way.
  void ExpectLedgerHolds() {
    const Reply ledger = server_.GetAs("/api/v1/ledger", core::NewUuid(), {Role::kOperator});
    ASSERT_EQ(ledger.status, 200) << ledger.text;
    const json& totals = ledger.body;
    EXPECT_EQ(totals["deposits_minor"].get<std::int64_t>(), totals["balances_minor"].get<std::int64_t>() +
                                                                totals["captured_minor"].get<std::int64_t>() -
                                                                totals["refunded_minor"].get<std::int64_t>())
        << totals;
    EXPECT_EQ(
        server_.Sql(
            "SELECT count(*) FROM accounts a WHERE a.balance_minor <> coalesce((SELECT sum(CASE kind WHEN "
            "'charge' THEN -amount_minor ELSE amount_minor END) FROM ledger_entries e WHERE e.customer_id = "
            "a.customer_id), 0)"),
        "0");
    EXPECT_EQ(
        server_.Sql("SELECT count(*) FROM (SELECT balance_after_minor, sum(CASE kind WHEN 'charge' THEN "
                    "-amount_minor "
                    "ELSE amount_minor END) OVER (PARTITION BY customer_id ORDER BY seq) AS running FROM "
                    "ledger_entries) replay WHERE running <> balance_after_minor OR running < 0"),
        "0");
  }

  PaymentServer server_;
  const std::string customer_ = core::NewUuid();
  const std::string order_ = core::NewUuid();
};

TEST_F(PaymentHandlers, UserRegisteredOpensAnAccountAtZeroForCustomersOnly) {
  EXPECT_EQ(server_.Deliver(UserRegistered(customer_, {"CUSTOMER"})).kind, Kind::kAck);
  EXPECT_EQ(server_.Balance(customer_), 0);
  EXPECT_EQ(
      server_.Sql("SELECT currency || ' v' || version FROM accounts WHERE customer_id = '" + customer_ + "'"),
      "RUB v1");

  const std::string staff = core::NewUuid();
  EXPECT_EQ(server_.Deliver(UserRegistered(staff, {"OPERATOR"})).kind, Kind::kAck);
  EXPECT_EQ(server_.Balance(staff), -1);
  EXPECT_TRUE(server_.OutboxEvents().empty());
}

TEST_F(PaymentHandlers, UserRegisteredForAnExistingAccountChangesNothing) {
  Fund(customer_, 700);
  EXPECT_EQ(server_.Deliver(UserRegistered(customer_, {"CUSTOMER"})).kind, Kind::kAck);
  EXPECT_EQ(server_.Balance(customer_), 700);
  EXPECT_EQ(server_.Sql("SELECT version FROM accounts WHERE customer_id = '" + customer_ + "'"), "2");
}

TEST_F(PaymentHandlers, EnoughMoneyCapturesAndEmitsPaymentSucceeded) {
  Fund(customer_, 10000);
  const auto reserved = StockReserved(order_, customer_, 6000, "RUB", 1);
  EXPECT_EQ(server_.Deliver(reserved).kind, Kind::kAck);

  EXPECT_EQ(server_.Balance(customer_), 4000);
  EXPECT_EQ(PaymentStatus(order_), "CAPTURED");
  const auto events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "PaymentSucceeded");
  const json& event = events[0].envelope;
  const std::string payment_id =
      server_.Sql("SELECT payment_id FROM payments WHERE order_id = '" + order_ + "'");
  EXPECT_EQ(event["id"], events[0].event_id);
  EXPECT_EQ(event["type"], "PaymentSucceeded");
  EXPECT_EQ(event["schema_version"], 1);
  EXPECT_EQ(event["producer"], "payment");
  EXPECT_EQ(event["node_id"], "payment-test-node");
  EXPECT_EQ(event["aggregate"],
            (json{{"type", "payment"}, {"id", order_}, {"version", 1}, {"status", "CAPTURED"}}));
  EXPECT_EQ(event["correlation_id"], reserved.correlation_id);
  EXPECT_EQ(event["causation_id"], reserved.id);
  EXPECT_EQ(event["payload"], (json{{"order_id", order_},
                                    {"customer_id", customer_},
                                    {"payment_id", payment_id},
                                    {"amount_minor", 6000},
                                    {"currency", "RUB"},
                                    {"order_version", 1}}));
  EXPECT_EQ(
      server_.Sql("SELECT kind || ' ' || amount_minor || ' ' || order_id || ' ' || balance_after_minor FROM "
                  "ledger_entries WHERE kind = 'charge'"),
      "charge 6000 " + order_ + " 4000");
  ExpectLedgerHolds();
}

TEST_F(PaymentHandlers, NotEnoughMoneyFailsAndEmitsPaymentFailedLeavingTheBalance) {
  Fund(customer_, 5999);
  const auto reserved = StockReserved(order_, customer_, 6000, "RUB", 2);
  EXPECT_EQ(server_.Deliver(reserved).kind, Kind::kAck);

  EXPECT_EQ(server_.Balance(customer_), 5999);
  EXPECT_EQ(PaymentStatus(order_), "FAILED");
  EXPECT_EQ(Entries("charge"), 0);
  const auto events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 1u);
  const json& event = events[0].envelope;
  EXPECT_EQ(event["type"], "PaymentFailed");
  EXPECT_EQ(event["aggregate"],
            (json{{"type", "payment"}, {"id", order_}, {"version", 1}, {"status", "FAILED"}}));
  EXPECT_EQ(event["causation_id"], reserved.id);
  EXPECT_EQ(event["payload"], (json{{"order_id", order_},
                                    {"customer_id", customer_},
                                    {"payment_id", server_.Sql("SELECT payment_id FROM payments")},
                                    {"amount_minor", 6000},
                                    {"currency", "RUB"},
                                    {"order_version", 2},
                                    {"reason", "insufficient_funds"}}));
  ExpectLedgerHolds();
}

TEST_F(PaymentHandlers, AnOrderInAnotherCurrencyFailsWithCurrencyMismatch) {
  Fund(customer_, 100000);
  EXPECT_EQ(server_.Deliver(StockReserved(order_, customer_, 6000, "EUR")).kind, Kind::kAck);
  EXPECT_EQ(server_.Balance(customer_), 100000);
  const auto failed = server_.OutboxEvents("PaymentFailed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].envelope["payload"]["reason"], "currency_mismatch");
  EXPECT_EQ(failed[0].envelope["payload"]["currency"], "EUR");
}

TEST_F(PaymentHandlers, ACustomerWithoutAccountGetsOneAndFailsForLackOfMoney) {
  EXPECT_EQ(server_.Deliver(StockReserved(order_, customer_, 100)).kind, Kind::kAck);
  EXPECT_EQ(server_.Balance(customer_), 0);
  EXPECT_EQ(PaymentStatus(order_), "FAILED");
  ASSERT_EQ(server_.OutboxEvents("PaymentFailed").size(), 1u);
  // UserRegistered arriving late changes nothing.
  EXPECT_EQ(server_.Deliver(UserRegistered(customer_, {"CUSTOMER"})).kind, Kind::kAck);
  EXPECT_EQ(server_.Balance(customer_), 0);
}

TEST_F(PaymentHandlers, TheSameEventDeliveredTwiceChargesOnce) {
  Fund(customer_, 10000);
  const auto reserved = StockReserved(order_, customer_, 3000);
  EXPECT_EQ(server_.Deliver(reserved).kind, Kind::kAck);
  EXPECT_EQ(server_.Deliver(reserved).kind, Kind::kAck);
  const auto outcomes = server_.DeliverConcurrently({reserved, reserved, reserved});
  for (const auto& outcome : outcomes) EXPECT_EQ(outcome.kind, Kind::kAck) << outcome.error;

  EXPECT_EQ(server_.Balance(customer_), 7000);
  EXPECT_EQ(Entries("charge"), 1);
  EXPECT_EQ(server_.OutboxEvents("PaymentSucceeded").size(), 1u);
  EXPECT_EQ(Count("SELECT count(*) FROM inbox WHERE consumer = 'payment'"), 1);
  ExpectLedgerHolds();
}

TEST_F(PaymentHandlers, TwoStockReservedEventsOfOneOrderChargeOnce) {
  // Different event ids (the stock service re-emitted it): the inbox lets both through, the state
  // machine (and the one-payment-per-order key) charges once.
  Fund(customer_, 10000);
  EXPECT_EQ(server_.Deliver(StockReserved(order_, customer_, 3000)).kind, Kind::kAck);
  EXPECT_EQ(server_.Deliver(StockReserved(order_, customer_, 3000)).kind, Kind::kAck);
  const auto outcomes = server_.DeliverConcurrently(
      {StockReserved(order_, customer_, 3000), StockReserved(order_, customer_, 3000)});
  for (const auto& outcome : outcomes) EXPECT_EQ(outcome.kind, Kind::kAck) << outcome.error;

  EXPECT_EQ(Count("SELECT count(*) FROM inbox WHERE consumer = 'payment'"), 4);
  EXPECT_EQ(server_.Balance(customer_), 7000);
  EXPECT_EQ(Payments(order_), 1);
  EXPECT_EQ(Entries("charge"), 1);
  EXPECT_EQ(server_.OutboxEvents("PaymentSucceeded").size(), 1u);
  ExpectLedgerHolds();
}

TEST_F(PaymentHandlers, RacingFirstEventsOfTwoOrdersOfANewCustomerBothApply) {
  // Neither event finds an account: both create it, one waits for the other.
  const std::string other_order = core::NewUuid();
  const auto outcomes = server_.DeliverConcurrently({StockReserved(order_, customer_, 0),
                                                     StockReserved(other_order, customer_, 0),
                                                     UserRegistered(customer_, {"CUSTOMER"})});
  for (const auto& outcome : outcomes) EXPECT_EQ(outcome.kind, Kind::kAck) << outcome.error;
  EXPECT_EQ(PaymentStatus(order_), "CAPTURED");
  EXPECT_EQ(PaymentStatus(other_order), "CAPTURED");
  EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 1);
}

TEST_F(PaymentHandlers, CancellationAfterCaptureRefundsOnceAndEmitsPaymentRefunded) {
  Fund(customer_, 10000);
  EXPECT_EQ(server_.Deliver(StockReserved(order_, customer_, 6000)).kind, Kind::kAck);
  EXPECT_EQ(server_.Balance(customer_), 4000);

  const auto cancelled = OrderCancelled(order_, customer_, 6000);
  EXPECT_EQ(server_.Deliver(cancelled).kind, Kind::kAck);
  EXPECT_EQ(server_.Deliver(cancelled).kind, Kind::kAck);                                // duplicate
  EXPECT_EQ(server_.Deliver(OrderCancelled(order_, customer_, 6000)).kind, Kind::kAck);  // re-emitted

  EXPECT_EQ(server_.Balance(customer_), 10000);
  EXPECT_EQ(PaymentStatus(order_), "REFUNDED");
  EXPECT_EQ(Entries("refund"), 1);
  const auto refunded = server_.OutboxEvents("PaymentRefunded");
  ASSERT_EQ(refunded.size(), 1u);
  const json& event = refunded[0].envelope;
  EXPECT_EQ(event["aggregate"],
            (json{{"type", "payment"}, {"id", order_}, {"version", 2}, {"status", "REFUNDED"}}));
  EXPECT_EQ(event["correlation_id"], cancelled.correlation_id);
  EXPECT_EQ(event["causation_id"], cancelled.id);
  EXPECT_EQ(event["payload"], (json{{"order_id", order_},
                                    {"customer_id", customer_},
                                    {"payment_id", server_.Sql("SELECT payment_id FROM payments")},
                                    {"amount_minor", 6000},
                                    {"currency", "RUB"},
                                    {"reason", "order_cancelled"}}));
  // A StockReserved after the refund charges nothing.
  EXPECT_EQ(server_.Deliver(StockReserved(order_, customer_, 6000)).kind, Kind::kAck);
  EXPECT_EQ(server_.Balance(customer_), 10000);
  EXPECT_EQ(server_.OutboxEvents().size(), 2u);
  ExpectLedgerHolds();
}

TEST_F(PaymentHandlers, CancellationBeforeChargeLeavesATombstoneAndTheLateReservationChargesNothing) {
  Fund(customer_, 10000);
  EXPECT_EQ(server_.Deliver(OrderCancelled(order_, customer_, 6000)).kind, Kind::kAck);
  EXPECT_EQ(PaymentStatus(order_), "VOIDED");
  EXPECT_EQ(server_.Sql("SELECT version FROM payments"), "1");
  EXPECT_TRUE(server_.OutboxEvents().empty());

  EXPECT_EQ(server_.Deliver(StockReserved(order_, customer_, 6000)).kind, Kind::kAck);
  EXPECT_EQ(server_.Balance(customer_), 10000);
  EXPECT_EQ(PaymentStatus(order_), "VOIDED");
  EXPECT_EQ(Entries("charge"), 0);
  EXPECT_TRUE(server_.OutboxEvents().empty());
  ExpectLedgerHolds();
}

TEST_F(PaymentHandlers, CancellationOfAFailedPaymentChangesNothing) {
  EXPECT_EQ(server_.Deliver(StockReserved(order_, customer_, 6000)).kind, Kind::kAck);
  EXPECT_EQ(server_.Deliver(OrderCancelled(order_, customer_, 6000)).kind, Kind::kAck);
  EXPECT_EQ(PaymentStatus(order_), "FAILED");
  EXPECT_EQ(server_.OutboxEvents().size(), 1u);
  EXPECT_EQ(Entries("refund"), 0);
}

TEST_F(PaymentHandlers, ReservationAndCancellationRacingEndEitherRefundedOrVoided) {
  for (int round = 0; round < 10; ++round) {
    const std::string order = core::NewUuid();
    Fund(customer_, 1000);
    const auto outcomes = server_.DeliverConcurrently(
        {StockReserved(order, customer_, 1000), OrderCancelled(order, customer_, 1000)});
    for (const auto& outcome : outcomes) EXPECT_EQ(outcome.kind, Kind::kAck) << outcome.error;
    const std::string status = PaymentStatus(order);
    EXPECT_TRUE(status == "REFUNDED" || status == "VOIDED") << status;
  }
  EXPECT_EQ(server_.Balance(customer_), 10000);
  EXPECT_EQ(server_.OutboxEvents("PaymentSucceeded").size(), server_.OutboxEvents("PaymentRefunded").size());
  ExpectLedgerHolds();
}

TEST_F(PaymentHandlers, FiftyConcurrentChargesWithMoneyForTwentyCaptureExactlyTwenty) {
  Fund(customer_, 20 * 500);
  std::vector<messaging::Envelope> reservations;
  for (int i = 0; i < 50; ++i) reservations.push_back(StockReserved(core::NewUuid(), customer_, 500));
  const auto outcomes = server_.DeliverConcurrently(reservations);
  for (const auto& outcome : outcomes) EXPECT_EQ(outcome.kind, Kind::kAck) << outcome.error;

  EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE status = 'CAPTURED'"), 20);
  EXPECT_EQ(Count("SELECT count(*) FROM payments WHERE status = 'FAILED' AND reason = 'insufficient_funds'"),
            30);
  EXPECT_EQ(server_.Balance(customer_), 0);
  EXPECT_EQ(Entries("charge"), 20);
  EXPECT_EQ(server_.OutboxEvents("PaymentSucceeded").size(), 20u);
  EXPECT_EQ(server_.OutboxEvents("PaymentFailed").size(), 30u);
  EXPECT_EQ(Count("SELECT min(balance_after_minor) FROM ledger_entries"), 0);
  ExpectLedgerHolds();
}

TEST_F(PaymentHandlers, AnUnreadablePayloadIsDeadLetteredAtOnceWithoutEffect) {
  auto reserved = StockReserved(order_, customer_, 500);
  reserved.payload["total_minor"] = "five hundred";
  const amqp::Outcome outcome = server_.Deliver(reserved);
  EXPECT_EQ(outcome.kind, Kind::kDeadLetter);
  EXPECT_NE(outcome.error.find("total_minor"), std::string::npos) << outcome.error;

  auto cancelled = OrderCancelled(order_, customer_, 500);
  cancelled.payload.erase("order_id");
  EXPECT_EQ(server_.Deliver(cancelled).kind, Kind::kDeadLetter);
  auto registered = UserRegistered("not-a-uuid", {"CUSTOMER"});
  EXPECT_EQ(server_.Deliver(registered).kind, Kind::kDeadLetter);

  EXPECT_EQ(Count("SELECT count(*) FROM payments"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 0);
  EXPECT_TRUE(server_.OutboxEvents().empty());
}

TEST_F(PaymentHandlers, TheLedgerIsAppendOnly) {
  Fund(customer_, 100);
  EXPECT_EQ(Count("SELECT count(*) FROM ledger_entries"), 1);
  EXPECT_THROW(server_.Exec("UPDATE ledger_entries SET amount_minor = 1"), std::runtime_error);
  EXPECT_THROW(server_.Exec("DELETE FROM ledger_entries"), std::runtime_error);
  EXPECT_THROW(server_.Exec("UPDATE accounts SET balance_minor = -1"), std::runtime_error);
  server_.Exec("UPDATE accounts SET balance_minor = balance_minor");  // the statements above could run
  EXPECT_EQ(server_.Sql("SELECT amount_minor FROM ledger_entries"), "100");
}

TEST_F(PaymentHandlers, TheLedgerHoldsAfterAMixedRun) {
  const std::string other = core::NewUuid();
  Fund(customer_, 5000);
  Fund(other, 3000);
  std::vector<messaging::Envelope> events;
  std::vector<std::string> orders;
  for (int i = 0; i < 12; ++i) {
    orders.push_back(core::NewUuid());
    events.push_back(StockReserved(orders.back(), i % 2 == 0 ? customer_ : other, 700));
  }
  for (int i = 0; i < 12; i += 3)
    events.push_back(OrderCancelled(orders[i], i % 2 == 0 ? customer_ : other, 700));
  const auto outcomes = server_.DeliverConcurrently(events);
  for (const auto& outcome : outcomes) EXPECT_EQ(outcome.kind, Kind::kAck) << outcome.error;
  ExpectLedgerHolds();
  EXPECT_GE(server_.Balance(customer_), 0);
  EXPECT_GE(server_.Balance(other), 0);
}

}  // namespace
}  // namespace microstore::payment::testing
