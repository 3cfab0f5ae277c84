#include "stock/api/events.hpp"

#include <functional>

#include "platform/messaging/outbox.hpp"
#include "stock/api/json.hpp"
#include "stock/app/items.hpp"
#include "stock/app/reservations.hpp"

namespace microstore::stock::api {

boost::asio::awaitable<void> OnProductCreated(const messaging::Outbox& outbox, pg::Transaction& transaction,
                                              const messaging::Envelope& event) {
  co_await ApplyProductCreated(transaction, outbox, ReadProductCreated(event), messaging::CausedBy(event));
}

boost::asio::awaitable<void> OnOrderCreated(const messaging::Outbox& outbox, pg::Transaction& transaction,
                                            const messaging::Envelope& event) {
  co_await ApplyReservationEvent(transaction, outbox, ReadOrderCreated(event), messaging::CausedBy(event));
}

boost::asio::awaitable<void> OnOrderCancelled(const messaging::Outbox& outbox, pg::Transaction& transaction,
                                              const messaging::Envelope& event) {
  co_await ApplyReservationEvent(transaction, outbox, ReadOrderCancelled(event), messaging::CausedBy(event));
}

boost::asio::awaitable<void> OnPaymentFailed(const messaging::Outbox& outbox, pg::Transaction& transaction,
                                             const messaging::Envelope& event) {
  co_await ApplyReservationEvent(transaction, outbox, ReadPaymentFailed(event), messaging::CausedBy(event));
}

std::vector<messaging::EventSubscription> EventHandlers(const messaging::Outbox& outbox) {
  return {{"catalog", "ProductCreated", std::bind_front(OnProductCreated, std::cref(outbox))},
          {"order", "OrderCreated", std::bind_front(OnOrderCreated, std::cref(outbox))},
          {"order", "OrderCancelled", std::bind_front(OnOrderCancelled, std::cref(outbox))},
          {"payment", "PaymentFailed", std::bind_front(OnPaymentFailed, std::cref(outbox))}};
}

}  // namespace microstore::stock::api
