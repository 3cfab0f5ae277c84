#include "order/domain/saga.hpp"

namespace microstore::order {
namespace {

using decision::Ignored;
using decision::Recorded;
using decision::Stale;
using decision::Transition;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

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

Transition MoveTo(const OrderState& state, OrderStatus status,
                  std::optional<CancelReason> reason = std::nullopt) {
  Transition transition{.next = state, .previous = state.status, .events = {OrderEvent::kStatusChanged}};
  transition.next.status = status;
  transition.next.reason = reason;
  transition.next.version = state.version + 1;
  if (status == OrderStatus::kCancelled) transition.events.push_back(OrderEvent::kCancelled);
  return transition;
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
  return std::visit(Overloaded{
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

std::string_view ToString(OrderEvent event) {
  switch (event) {
    case OrderEvent::kStatusChanged:
      return "OrderStatusChanged";
    case OrderEvent::kCancelled:
      return "OrderCancelled";
  }
  return "";
}

CancelReason ReasonOfPaymentFailure(std::string_view payment_reason) {
  return payment_reason == "insufficient_funds" ? CancelReason::kInsufficientFunds
                                                : CancelReason::kPaymentFailed;
}

Decision Decide(const OrderState& state, const SagaInput& input) {
  const bool cancelled = state.status == OrderStatus::kCancelled;
  return std::visit(
      Overloaded{
          [&](const saga::CustomerCancel& cancel) -> Decision {
            if (cancelled) return Ignored{"the order is already cancelled"};
            return MoveTo(state, OrderStatus::kCancelled,
                          cancel.by_operator ? CancelReason::kOperatorCancelled : CancelReason::kCustomerCancelled);
          },
          [&](const saga::StockReleased&) -> Decision {
            if (state.stock_released) return Ignored{"the release is already recorded"};
            Recorded recorded{state};
            recorded.next.stock_released = true;
            return recorded;
          },
          [&](const saga::PaymentRefunded&) -> Decision {
            if (state.refunded) return Ignored{"the refund is already recorded"};
            Recorded recorded{state};
            recorded.next.refunded = true;
            return recorded;
          },
          [&](const saga::StockReserved& event) -> Decision {
            if (cancelled) return Stale{StatusIs(state)};
            if (event.reservation_version <= state.reservation_version) {
              return Stale{Versions("reservation", event.reservation_version, state.reservation_version)};
            }
            if (Rank(state.status) >= Rank(OrderStatus::kReserved)) return Stale{StatusIs(state)};
            Transition transition = MoveTo(state, OrderStatus::kReserved);
            transition.next.reservation_version = event.reservation_version;
            return transition;
          },
          [&](const saga::StockReservationFailed& event) -> Decision {
            if (cancelled) return Stale{StatusIs(state)};
            if (state.status != OrderStatus::kPending) {
              return Stale{StatusIs(state) + ": stock reports a failed reservation of an order it reserved",
                           true};
            }
            if (event.reservation_version <= state.reservation_version) {
              return Stale{Versions("reservation", event.reservation_version, state.reservation_version)};
            }
            Transition transition = MoveTo(state, OrderStatus::kCancelled, CancelReason::kOutOfStock);
            transition.next.reservation_version = event.reservation_version;
            return transition;
          },
          [&](const saga::PaymentSucceeded& event) -> Decision {
            if (cancelled) return Stale{StatusIs(state)};
            if (event.payment_version <= state.payment_version) {
              return Stale{Versions("payment", event.payment_version, state.payment_version)};
            }
            if (Rank(state.status) >= Rank(OrderStatus::kPaid)) return Stale{StatusIs(state)};
            Transition transition = MoveTo(state, OrderStatus::kPaid);
            transition.next.payment_version = event.payment_version;
            return transition;
          },
          [&](const saga::PaymentFailed& event) -> Decision {
            if (cancelled) return Stale{StatusIs(state)};
            if (state.status == OrderStatus::kPaid) {
              return Stale{StatusIs(state) + ": payment reports a failure of an order it charged", true};
            }
            if (event.payment_version <= state.payment_version) {
              return Stale{Versions("payment", event.payment_version, state.payment_version)};
            }
            Transition transition =
                MoveTo(state, OrderStatus::kCancelled, ReasonOfPaymentFailure(event.reason));
            transition.next.payment_version = event.payment_version;
            return transition;
          },
      },
      input);
}

OrderState StateAfter(const OrderState& state, const Decision& decision) {
  if (const auto* transition = std::get_if<Transition>(&decision)) return transition->next;
  if (const auto* recorded = std::get_if<Recorded>(&decision)) return recorded->next;
  return state;
}

}  // namespace microstore::order
