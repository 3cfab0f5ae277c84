#include "order/domain/saga.hpp"

#include "platform/core/overloaded.hpp"

namespace microstore::order {
namespace {

using Changed = core::Changed<Order, Event>;

int Rank(OrderStatus status) {
  switch (status) {
    case OrderStatus::kPending:
      return 0;
    case OrderStatus::kReserved:
      return 1;
    case OrderStatus::kPaid:
      return 2;
    case OrderStatus::kCancelled:
      return 3;
  }
  return 3;
}

// The order as `state` leaves it at `now`; its events are the caller's to add.
Order With(const Order& order, const OrderState& state, const std::string& now) {
  Order next = order;
  next.state = state;
  next.updated_at = now;
  return next;
}

// A status change: version + 1, OrderStatusChanged, and OrderCancelled for a move to CANCELLED.
// `state` is the order's state with the source version it applies already recorded.
Changed MoveTo(const Order& order, OrderState state, OrderStatus status, const std::string& now,
               std::optional<CancelReason> reason = std::nullopt) {
  state.status = status;
  state.reason = reason;
  state.version = order.state.version + 1;
  Changed changed{.next = With(order, state, now), .events = {}};
  changed.events.push_back(StatusChangeOf(changed.next, order.state.status));
  if (status == OrderStatus::kCancelled) changed.events.push_back(CancellationOf(changed.next, order.state.status));
  return changed;
}

// A compensation confirmed: only the flag changes, nothing is emitted.
Changed Record(const Order& order, OrderState state, const std::string& now) {
  return {.next = With(order, state, now), .events = {}};
}

std::string Versions(const char* source, std::int64_t incoming, std::int64_t kept) {
  return std::string(source) + " version " + std::to_string(incoming) + " is not above the applied " +
         std::to_string(kept);
}

std::string StatusIs(const OrderState& state) {
  return "the order is already " + std::string(ToString(state.status));
}

}  // namespace

std::string_view NameOf(const SagaInput& input) {
  return std::visit(core::Overloaded{
                        [](const saga::StockReserved&) { return "StockReserved"; },
                        [](const saga::StockReservationFailed&) { return "StockReservationFailed"; },
                        [](const saga::StockReleased&) { return "StockReleased"; },
                        [](const saga::PaymentSucceeded&) { return "PaymentSucceeded"; },
                        [](const saga::PaymentFailed&) { return "PaymentFailed"; },
                        [](const saga::PaymentRefunded&) { return "PaymentRefunded"; },
                        [](const saga::CustomerCancel&) { return "CustomerCancel"; },
                    },
                    input);
}

CancelReason ReasonOfPaymentFailure(std::string_view payment_reason) {
  return payment_reason == "insufficient_funds" ? CancelReason::kInsufficientFunds
                                                : CancelReason::kPaymentFailed;
}

OrderDecision Decide(const Order& order, const SagaInput& input, const std::string& now) {
  const OrderState& state = order.state;
  const bool cancelled = state.status == OrderStatus::kCancelled;
  return std::visit(
      core::Overloaded{
          [&](const saga::CustomerCancel& cancel) -> OrderDecision {
            if (cancelled) return core::Ignored("the order is already cancelled");
            return MoveTo(order, state, OrderStatus::kCancelled, now,
                          cancel.by_operator ? CancelReason::kOperatorCancelled : CancelReason::kCustomerCancelled);
          },
          [&](const saga::StockReleased&) -> OrderDecision {
            if (state.stock_released) return core::Ignored("the release is already recorded");
            OrderState next = state;
            next.stock_released = true;
            return Record(order, next, now);
          },
          [&](const saga::PaymentRefunded&) -> OrderDecision {
            if (state.refunded) return core::Ignored("the refund is already recorded");
            OrderState next = state;
            next.refunded = true;
            return Record(order, next, now);
          },
          [&](const saga::StockReserved& event) -> OrderDecision {
            if (cancelled) return core::Stale(StatusIs(state));
            if (event.reservation_version <= state.reservation_version) {
              return core::Stale(Versions("reservation", event.reservation_version, state.reservation_version));
            }
            if (Rank(state.status) >= Rank(OrderStatus::kReserved)) return core::Stale(StatusIs(state));
            OrderState next = state;
            next.reservation_version = event.reservation_version;
            return MoveTo(order, next, OrderStatus::kReserved, now);
          },
          [&](const saga::StockReservationFailed& event) -> OrderDecision {
            if (cancelled) return core::Stale(StatusIs(state));
            if (state.status != OrderStatus::kPending) {
              return core::Contradiction(StatusIs(state) +
                                         ": stock reports a failed reservation of an order it reserved");
            }
            if (event.reservation_version <= state.reservation_version) {
              return core::Stale(Versions("reservation", event.reservation_version, state.reservation_version));
            }
            OrderState next = state;
            next.reservation_version = event.reservation_version;
            return MoveTo(order, next, OrderStatus::kCancelled, now, CancelReason::kOutOfStock);
          },
          [&](const saga::PaymentSucceeded& event) -> OrderDecision {
            if (cancelled) return core::Stale(StatusIs(state));
            if (event.payment_version <= state.payment_version) {
              return core::Stale(Versions("payment", event.payment_version, state.payment_version));
            }
            if (Rank(state.status) >= Rank(OrderStatus::kPaid)) return core::Stale(StatusIs(state));
            OrderState next = state;
            next.payment_version = event.payment_version;
            return MoveTo(order, next, OrderStatus::kPaid, now);
          },
          [&](const saga::PaymentFailed& event) -> OrderDecision {
            if (cancelled) return core::Stale(StatusIs(state));
            if (state.status == OrderStatus::kPaid) {
              return core::Contradiction(StatusIs(state) + ": payment reports a failure of an order it charged");
            }
            if (event.payment_version <= state.payment_version) {
              return core::Stale(Versions("payment", event.payment_version, state.payment_version));
            }
            OrderState next = state;
            next.payment_version = event.payment_version;
            return MoveTo(order, next, OrderStatus::kCancelled, now, ReasonOfPaymentFailure(event.reason));
          },
      },
      input);
}

}  // namespace microstore::order
