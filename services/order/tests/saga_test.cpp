// The order's state machine: every status × every input, the version guard, and the property
// that a saga's outcome does not depend on the order or repetition of its events (R4, R2).
#include "order/domain/saga.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace microstore::order {
namespace {

using Kind = core::Unchanged::Kind;

const std::string kBefore = "2026-11-23T10:00:00.000Z";
const std::string kNow = "2026-11-23T10:00:01.000Z";

// An order in `state`, as Decide sees it.
Order OrderIn(const OrderState& state) {
  return {.id = "0f0e0d0c-0b0a-4908-8706-050403020100",
          .customer_id = "c0ffee00-0000-4000-8000-000000000001",
          .state = state,
          .items = {{"11111111-1111-4111-8111-111111111111", "OAK-1", "Oak chair", 2, 649000, 1298000}},
          .total_minor = 1298000,
          .currency = "RUB",
          .created_at = kBefore,
          .updated_at = kBefore,
          .idempotency_key = "k1"};
}

OrderDecision Decide(const OrderState& state, const SagaInput& input) {
  return order::Decide(OrderIn(state), input, kNow);
}

// The state after `decision`: its next state when it changed the order, `state` otherwise.
OrderState StateAfter(const OrderState& state, const OrderDecision& decision) {
  if (core::IfUnchanged(decision)) return state;
  return core::ChangedOf(decision).next.state;
}

OrderState Pending() { return {}; }
OrderState Reserved() {
  return {.status = OrderStatus::kReserved, .reason = {}, .version = 2, .reservation_version = 1};
}
OrderState Paid() {
  return {.status = OrderStatus::kPaid,
          .reason = {},
          .version = 3,
          .reservation_version = 1,
          .payment_version = 1};
}
OrderState Cancelled(CancelReason reason = CancelReason::kCustomerCancelled) {
  return {.status = OrderStatus::kCancelled, .reason = reason, .version = 2};
}

const SagaInput kStockReserved = saga::StockReserved{1};
const SagaInput kStockReservationFailed = saga::StockReservationFailed{1};
const SagaInput kStockReleased = saga::StockReleased{2};
const SagaInput kPaymentSucceeded = saga::PaymentSucceeded{1};
const SagaInput kInsufficientFunds = saga::PaymentFailed{1, "insufficient_funds"};
const SagaInput kCurrencyMismatch = saga::PaymentFailed{1, "currency_mismatch"};
const SagaInput kPaymentRefunded = saga::PaymentRefunded{2};
const SagaInput kCustomerCancel = saga::CustomerCancel{};

// What one (state, input) pair must decide.
struct Expected {
  enum class Kind { kTransition, kRecorded, kStale, kContradiction, kIgnored } kind;
  OrderStatus status = OrderStatus::kPending;  // for a transition
  std::optional<CancelReason> reason;
};
using ExpectedKind = Expected::Kind;
Expected MovesTo(OrderStatus status, std::optional<CancelReason> reason = std::nullopt) {
  return {ExpectedKind::kTransition, status, reason};
}
const Expected kRecords{ExpectedKind::kRecorded, OrderStatus::kPending, std::nullopt};
const Expected kIsStale{ExpectedKind::kStale, OrderStatus::kPending, std::nullopt};
const Expected kContradicts{ExpectedKind::kContradiction, OrderStatus::kPending, std::nullopt};
const Expected kIgnores{ExpectedKind::kIgnored, OrderStatus::kPending, std::nullopt};

void Check(const OrderState& state, const SagaInput& input, const Expected& expected) {
  SCOPED_TRACE(std::string(ToString(state.status)) + " + " + std::string(NameOf(input)));
  const OrderDecision decision = Decide(state, input);
  const core::Unchanged* unchanged = core::IfUnchanged(decision);
  switch (expected.kind) {
    case ExpectedKind::kTransition: {
      ASSERT_EQ(unchanged, nullptr) << unchanged->why;
      const auto& changed = core::ChangedOf(decision);
      const OrderState& next = changed.next.state;
      EXPECT_EQ(next.status, expected.status);
      EXPECT_EQ(next.reason, expected.reason);
      EXPECT_EQ(next.version, state.version + 1);
      EXPECT_EQ(next.stock_released, state.stock_released);
      EXPECT_EQ(next.refunded, state.refunded);
      EXPECT_EQ(changed.next.updated_at, kNow);
      // OrderStatusChanged, and OrderCancelled for a move to CANCELLED, both from the status before.
      const bool cancels = expected.status == OrderStatus::kCancelled;
      ASSERT_EQ(changed.events.size(), cancels ? 2u : 1u);
      const auto* status_changed = std::get_if<OrderStatusChanged>(&changed.events[0]);
      ASSERT_NE(status_changed, nullptr);
      EXPECT_EQ(status_changed->previous_status, state.status);
      EXPECT_EQ(*status_changed, StatusChangeOf(changed.next, state.status));
      if (cancels) {
        const auto* cancelled = std::get_if<OrderCancelled>(&changed.events[1]);
        ASSERT_NE(cancelled, nullptr);
        EXPECT_EQ(cancelled->previous_status, state.status);
        EXPECT_EQ(*cancelled, CancellationOf(changed.next, state.status));
      }
      break;
    }
    case ExpectedKind::kRecorded: {
      ASSERT_EQ(unchanged, nullptr) << unchanged->why;
      const auto& changed = core::ChangedOf(decision);
      OrderState expected_state = state;
      if (std::holds_alternative<saga::StockReleased>(input)) expected_state.stock_released = true;
      if (std::holds_alternative<saga::PaymentRefunded>(input)) expected_state.refunded = true;
      EXPECT_EQ(changed.next.state, expected_state);  // status, reason and version untouched
      EXPECT_TRUE(changed.events.empty());
      break;
    }
    case ExpectedKind::kStale:
    case ExpectedKind::kContradiction: {
      ASSERT_NE(unchanged, nullptr);
      EXPECT_FALSE(unchanged->why.empty());
      EXPECT_EQ(unchanged->kind, expected.kind == ExpectedKind::kContradiction ? Kind::kContradiction : Kind::kStale)
          << unchanged->why;
      EXPECT_EQ(StateAfter(state, decision), state);
      break;
    }
    case ExpectedKind::kIgnored:
      ASSERT_NE(unchanged, nullptr);
      EXPECT_EQ(unchanged->kind, Kind::kIgnored) << unchanged->why;
      EXPECT_EQ(StateAfter(state, decision), state);
      break;
  }
}

TEST(SagaStateMachine, Pending) {
  const OrderState state = Pending();
  Check(state, kStockReserved, MovesTo(OrderStatus::kReserved));
  Check(state, kStockReservationFailed, MovesTo(OrderStatus::kCancelled, CancelReason::kOutOfStock));
  Check(state, kStockReleased, kRecords);
  Check(state, kPaymentSucceeded, MovesTo(OrderStatus::kPaid));  // the reservation is implied
  Check(state, kInsufficientFunds, MovesTo(OrderStatus::kCancelled, CancelReason::kInsufficientFunds));
  Check(state, kCurrencyMismatch, MovesTo(OrderStatus::kCancelled, CancelReason::kPaymentFailed));
  Check(state, kPaymentRefunded, kRecords);
  Check(state, kCustomerCancel, MovesTo(OrderStatus::kCancelled, CancelReason::kCustomerCancelled));
  Check(state, saga::CustomerCancel{.by_operator = true},
        MovesTo(OrderStatus::kCancelled, CancelReason::kOperatorCancelled));
}

TEST(SagaStateMachine, Reserved) {
  const OrderState state = Reserved();
  Check(state, kStockReserved, kIsStale);
  Check(state, kStockReservationFailed, kContradicts);
  Check(state, kStockReleased, kRecords);
  Check(state, kPaymentSucceeded, MovesTo(OrderStatus::kPaid));
  Check(state, kInsufficientFunds, MovesTo(OrderStatus::kCancelled, CancelReason::kInsufficientFunds));
  Check(state, kCurrencyMismatch, MovesTo(OrderStatus::kCancelled, CancelReason::kPaymentFailed));
  Check(state, kPaymentRefunded, kRecords);
  Check(state, kCustomerCancel, MovesTo(OrderStatus::kCancelled, CancelReason::kCustomerCancelled));
}

TEST(SagaStateMachine, Paid) {
  for (const OrderState& state : {Paid(), StateAfter(Pending(), Decide(Pending(), kPaymentSucceeded))}) {
    Check(state, kStockReserved, kIsStale);  // seed case 1: a late reservation after the payment
    Check(state, kStockReservationFailed, kContradicts);
    Check(state, kStockReleased, kRecords);
    Check(state, kPaymentSucceeded, kIsStale);
    Check(state, kInsufficientFunds, kContradicts);
    Check(state, kCurrencyMismatch, kContradicts);
    Check(state, kPaymentRefunded, kRecords);
    Check(state, kCustomerCancel, MovesTo(OrderStatus::kCancelled, CancelReason::kCustomerCancelled));
  }
}

TEST(SagaStateMachine, CancelledIsTerminal) {
  for (const CancelReason reason : {CancelReason::kOutOfStock, CancelReason::kInsufficientFunds,
                                    CancelReason::kPaymentFailed, CancelReason::kCustomerCancelled}) {
    const OrderState state = Cancelled(reason);
    Check(state, kStockReserved, kIsStale);
    Check(state, kStockReservationFailed, kIsStale);
    Check(state, kStockReleased, kRecords);
    Check(state, kPaymentSucceeded, kIsStale);
    Check(state, kInsufficientFunds, kIsStale);
    Check(state, kCurrencyMismatch, kIsStale);
    Check(state, kPaymentRefunded, kRecords);
    Check(state, kCustomerCancel, kIgnores);  // an idempotent success
  }
}

TEST(SagaStateMachine, ARepeatedCompensationIsIgnoredInEveryStatus) {
  for (OrderState state : {Pending(), Reserved(), Paid(), Cancelled()}) {
    state.stock_released = true;
    state.refunded = true;
    Check(state, kStockReleased, kIgnores);
    Check(state, kPaymentRefunded, kIgnores);
  }
}

TEST(SagaStateMachine, TransitionsRecordTheSourceVersions) {
  const auto next = [](const OrderState& state, const SagaInput& input) {
    return StateAfter(state, Decide(state, input));
  };
  EXPECT_EQ(next(Pending(), saga::StockReserved{1}).reservation_version, 1);
  EXPECT_EQ(next(Pending(), saga::StockReservationFailed{1}).reservation_version, 1);
  EXPECT_EQ(next(Reserved(), saga::PaymentSucceeded{1}).payment_version, 1);
  EXPECT_EQ(next(Reserved(), saga::PaymentFailed{1, "insufficient_funds"}).payment_version, 1);
  // Compensations leave the guards alone (see saga.hpp).
  EXPECT_EQ(next(Reserved(), saga::StockReleased{2}).reservation_version, 1);
  EXPECT_EQ(next(Paid(), saga::PaymentRefunded{2}).payment_version, 1);
}

TEST(SagaStateMachine, AnEventNoNewerThanTheAppliedSourceVersionIsStale) {
  // The status alone would let these through; the kept versions stop them.
  OrderState pending = Pending();
  pending.reservation_version = 1;
  Check(pending, saga::StockReserved{1}, kIsStale);
  Check(pending, saga::StockReservationFailed{1}, kIsStale);
  Check(pending, saga::StockReserved{2}, MovesTo(OrderStatus::kReserved));

  OrderState reserved = Reserved();
  reserved.payment_version = 1;
  Check(reserved, saga::PaymentSucceeded{1}, kIsStale);
  Check(reserved, saga::PaymentFailed{1, "insufficient_funds"}, kIsStale);
  Check(reserved, saga::PaymentSucceeded{2}, MovesTo(OrderStatus::kPaid));
}

TEST(SagaStateMachine, ALateReservationAfterThePaymentLeavesTheOrderPaid) {
  OrderState state = Pending();
  state = StateAfter(state, Decide(state, kPaymentSucceeded));  // payment overtook the reservation
  ASSERT_EQ(state.status, OrderStatus::kPaid);
  const OrderDecision late = Decide(state, kStockReserved);
  ASSERT_NE(core::IfUnchanged(late), nullptr);
  EXPECT_EQ(core::IfUnchanged(late)->kind, Kind::kStale);
  EXPECT_EQ(StateAfter(state, late), state);
  EXPECT_EQ(StateAfter(state, late).status, OrderStatus::kPaid);
  EXPECT_EQ(StateAfter(state, late).version, 2);

  // Without the stale check, applying it as in PENDING would take the order back to RESERVED.
  OrderState as_if_pending = state;
  as_if_pending.status = OrderStatus::kPending;
  EXPECT_EQ(StateAfter(as_if_pending, Decide(as_if_pending, kStockReserved)).status, OrderStatus::kReserved);
}

TEST(SagaStateMachine, PaymentReasonsMapToCancelReasons) {
  EXPECT_EQ(ReasonOfPaymentFailure("insufficient_funds"), CancelReason::kInsufficientFunds);
  EXPECT_EQ(ReasonOfPaymentFailure("currency_mismatch"), CancelReason::kPaymentFailed);
  EXPECT_EQ(ReasonOfPaymentFailure("card_declined"), CancelReason::kPaymentFailed);
  EXPECT_EQ(ReasonOfPaymentFailure(""), CancelReason::kPaymentFailed);
}

// --- property: any order, any duplicates, same outcome ------------------------------------------

struct Outcome {
  OrderStatus status;
  std::optional<CancelReason> reason;
  bool stock_released;
  bool refunded;

  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Outcome& outcome) {
  return out << ToString(outcome.status) << "(" << (outcome.reason ? ToString(*outcome.reason) : "-")
             << ") released=" << outcome.stock_released << " refunded=" << outcome.refunded;
}

Outcome Deliver(const std::vector<SagaInput>& events, const std::vector<int>& sequence) {
  OrderState state = Pending();
  for (const int index : sequence) {
    const OrderDecision decision = Decide(state, events[static_cast<std::size_t>(index)]);
    state = StateAfter(state, decision);
  }
  return {state.status, state.reason, state.stock_released, state.refunded};
}

std::string Describe(const std::vector<SagaInput>& events, const std::vector<int>& sequence) {
  std::string text;
  for (const int index : sequence) text += std::string(NameOf(events[static_cast<std::size_t>(index)])) + " ";
  return text;
}

struct Saga {
  const char* name;
  std::vector<SagaInput> events;  // in the order the saga produces them
  Outcome expected;
};

// Feeds every permutation of the saga's events, and of every multiset in which each event comes
// once or twice, and checks each ends where in-order delivery ends. Answers how many sequences.
int CheckEveryDelivery(const Saga& saga) {
  std::vector<int> in_order(saga.events.size());
  for (std::size_t i = 0; i < in_order.size(); ++i) in_order[i] = static_cast<int>(i);
  const Outcome reference = Deliver(saga.events, in_order);
  EXPECT_EQ(reference, saga.expected) << saga.name;

  int sequences = 0;
  const unsigned subsets = 1u << saga.events.size();
  for (unsigned duplicated = 0; duplicated < subsets; ++duplicated) {
    std::vector<int> sequence = in_order;
    for (std::size_t i = 0; i < saga.events.size(); ++i) {
      if (duplicated & (1u << i)) sequence.push_back(static_cast<int>(i));
    }
    std::sort(sequence.begin(), sequence.end());
    do {
      ++sequences;
      const Outcome outcome = Deliver(saga.events, sequence);
      if (outcome != reference) {
        ADD_FAILURE() << saga.name << ": " << Describe(saga.events, sequence) << "ends " << outcome
                      << ", in order " << reference;
        return sequences;
      }
    } while (std::next_permutation(sequence.begin(), sequence.end()));
  }
  return sequences;
}

TEST(SagaProperty, EveryOrderAndRepetitionOfASagasEventsEndsAsInOrderDelivery) {
  const std::vector<Saga> sagas = {
      {"paid", {kStockReserved, kPaymentSucceeded}, {OrderStatus::kPaid, {}, false, false}},
      {"insufficient funds",
       {kStockReserved, kInsufficientFunds, kStockReleased},
       {OrderStatus::kCancelled, CancelReason::kInsufficientFunds, true, false}},
      {"payment failed otherwise",
       {kStockReserved, kCurrencyMismatch, kStockReleased},
       {OrderStatus::kCancelled, CancelReason::kPaymentFailed, true, false}},
      {"out of stock",
       {kStockReservationFailed},
       {OrderStatus::kCancelled, CancelReason::kOutOfStock, false, false}},
      {"refunded",
       {kStockReserved, kPaymentSucceeded, kPaymentRefunded},
       {OrderStatus::kPaid, {}, false, true}},
      {"cancelled before the reservation",
       {kCustomerCancel, kStockReserved, kStockReleased},
       {OrderStatus::kCancelled, CancelReason::kCustomerCancelled, true, false}},
      {"cancelled after the payment",
       {kStockReserved, kPaymentSucceeded, kCustomerCancel, kStockReleased, kPaymentRefunded},
       {OrderStatus::kCancelled, CancelReason::kCustomerCancelled, true, true}},
  };
  for (const Saga& saga : sagas) {
    // Distinct sequences of n events with k of them twice: C(n, k) · (n + k)! / 2^k, summed over k.
    const auto factorial = [](int n) {
      long product = 1;
      for (int i = 2; i <= n; ++i) product *= i;
      return product;
    };
    long expected = 0;
    const int n = static_cast<int>(saga.events.size());
    for (int k = 0; k <= n; ++k) {
      expected += factorial(n) / (factorial(k) * factorial(n - k)) * (factorial(n + k) / (1L << k));
    }
    EXPECT_EQ(CheckEveryDelivery(saga), expected) << saga.name;
  }
}

}  // namespace
}  // namespace microstore::order
