#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "order/domain/order.hpp"

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
//             → stale, flagged as a contradiction of what is known
//   PAID      CustomerCancel → CANCELLED(customer_cancelled) (payment refunds and stock releases
//             on OrderCancelled); every other status-moving event → stale
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

// The input's name for logs: "StockReserved", …, "CustomerCancel".
std::string_view NameOf(const SagaInput& input);

// The events a transition emits (an order's creation emits OrderCreated too: events.hpp).
enum class OrderEvent { kStatusChanged, kCancelled };
std::string_view ToString(OrderEvent event);  // "OrderStatusChanged", "OrderCancelled"

namespace decision {
// The status changes: `next` has version + 1; emit `events` (OrderStatusChanged, and
// OrderCancelled for a move to CANCELLED).
struct Transition {
  OrderState next;
  OrderStatus previous = OrderStatus::kPending;
  std::vector<OrderEvent> events;
};
// A compensation is confirmed: `next` differs only in stock_released / refunded. No event.
struct Recorded {
  OrderState next;
};
// Older than what the order knows: dropped. `contradiction` marks an event that contradicts the
// order's state rather than merely lagging behind it (worth a warning).
struct Stale {
  std::string why;
  bool contradiction = false;
};
// Nothing to do and nothing wrong: a repeated compensation, a cancel of a cancelled order.
struct Ignored {
  std::string why;
};
}  // namespace decision

using Decision = std::variant<decision::Transition, decision::Recorded, decision::Stale, decision::Ignored>;

Decision Decide(const OrderState& state, const SagaInput& input);

// The state after `decision`: its `next` for a transition or a record, `state` unchanged otherwise.
OrderState StateAfter(const OrderState& state, const Decision& decision);

// The cancel reason for payment's failure reason: insufficient_funds, else payment_failed.
CancelReason ReasonOfPaymentFailure(std::string_view payment_reason);

}  // namespace microstore::order
