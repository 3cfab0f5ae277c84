#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "order/domain/events.hpp"
#include "order/domain/order.hpp"
#include "platform/core/decision.hpp"

// The order's side of the checkout saga: what each event of stock and payment, and a customer's
// cancel, does to an order. Events arrive at least once and in any order (R4); this state
// machine makes the final state independent of both (see saga_test.cpp's property test).
//
// Rules, by current status (rank PENDING 0 < RESERVED 1 < PAID 2; CANCELLED terminal):
//   PENDING   StockReserved → RESERVED; StockReservationFailed → CANCELLED(out_of_stock);
//             PaymentSucceeded → PAID (a payment only follows a reservation, so the reservation
//             is implied); PaymentFailed → CANCELLED(insufficient_funds | payment_failed);
//             CustomerCancel → CANCELLED(customer_cancelled)
//   RESERVED  PaymentSucceeded → PAID; PaymentFailed → CANCELLED(…); CustomerCancel →
//             CANCELLED(customer_cancelled); StockReserved again → stale; StockReservationFailed
//             → a contradiction of what is known
//   PAID      CustomerCancel → CANCELLED(customer_cancelled) (payment refunds and stock releases
//             on OrderCancelled); StockReservationFailed and PaymentFailed → contradictions; every
//             other status-moving event → stale
//   CANCELLED every status-moving event → stale; CustomerCancel → ignored (an idempotent success)
// Besides the status, an event whose source aggregate version is not above the highest one
// applied (OrderState::reservation_version / payment_version) is stale.
//
// StockReleased and PaymentRefunded confirm compensations: in any status they set
// stock_released / refunded, never change the status and bump no version; a repeat is ignored.
// They do not raise the kept source versions either: a release (reservation v2) or refund
// (payment v2) may overtake the v1 event that moves the status, and that event must still apply
// for the outcome not to depend on the delivery order.
namespace microstore::order {

namespace saga {
struct StockReserved {
  std::int64_t reservation_version = 1;
};
struct StockReservationFailed {
  std::int64_t reservation_version = 1;
};
struct StockReleased {
  std::int64_t reservation_version = 2;
};
struct PaymentSucceeded {
  std::int64_t payment_version = 1;
};
struct PaymentFailed {
  std::int64_t payment_version = 1;
  std::string reason;  // payment's reason: "insufficient_funds", "currency_mismatch", …
};
struct PaymentRefunded {
  std::int64_t payment_version = 2;
};
// A cancel through the API: by the order's customer, or by an operator on a customer's behalf
// (recorded as operator_cancelled, so the history says who decided).
struct CustomerCancel {
  bool by_operator = false;
};
}  // namespace saga

using SagaInput =
    std::variant<saga::StockReserved, saga::StockReservationFailed, saga::StockReleased,
                 saga::PaymentSucceeded, saga::PaymentFailed, saga::PaymentRefunded, saga::CustomerCancel>;

// A consumed event of the saga: the order it names and what it says.
struct SagaEvent {
  std::string order_id;  // lower-case UUID
  SagaInput input;
};

// The input's name for logs: "StockReserved", …, "CustomerCancel" (the event types).
std::string_view NameOf(const SagaInput& input);

// What an input does to an order:
//   Changed{next, events}: `next` is the order with its new state and updated_at = `now`. A
//     status change bumps the version and emits OrderStatusChanged, and OrderCancelled too for a
//     move to CANCELLED; a confirmed compensation sets stock_released / refunded and emits nothing.
//   Unchanged: kStale (older than what the order knows: dropped), kContradiction (an event that
//     contradicts the order's state rather than merely lagging behind it: worth a warning) or
//     kIgnored (nothing to do and nothing wrong: a repeated compensation, a cancel of a
//     cancelled order), with why.
using OrderDecision = core::Decision<Order, Event>;

// `now` is when the change is saved (RFC 3339 UTC with milliseconds): the order's updated_at
// after it and the time its events carry.
OrderDecision Decide(const Order& order, const SagaInput& input, const std::string& now);

// The cancel reason for payment's failure reason: insufficient_funds, else payment_failed.
CancelReason ReasonOfPaymentFailure(std::string_view payment_reason);

}  // namespace microstore::order
