#include "order/api/events.hpp"

#include <functional>
#include <string>
#include <variant>

#include "order/api/json.hpp"
#include "order/app/orders.hpp"
#include "order/app/product_copies.hpp"

namespace microstore::order::api {
namespace {

namespace asio = boost::asio;
using messaging::Envelope;
using messaging::Outbox;

// --- catalog: the copy of the catalogue ----------------------------------------------------------

asio::awaitable<void> OnProductCreated(pg::Transaction& transaction, const Envelope& event) {
  co_await UpdateProductCopy(transaction, ReadProductSnapshot(event), "ProductCreated", messaging::CausedBy(event));
}

asio::awaitable<void> OnProductUpdated(pg::Transaction& transaction, const Envelope& event) {
  co_await UpdateProductCopy(transaction, ReadProductSnapshot(event), "ProductUpdated", messaging::CausedBy(event));
}

asio::awaitable<void> OnProductPriceChanged(pg::Transaction& transaction, const Envelope& event) {
  co_await UpdateProductPrice(transaction, ReadPriceChanged(event), messaging::CausedBy(event));
}

asio::awaitable<void> OnProductArchived(pg::Transaction& transaction, const Envelope& event) {
  co_await ArchiveProductCopy(transaction, ReadProductArchived(event), messaging::CausedBy(event));
}

// --- stock and payment: the saga -----------------------------------------------------------------

asio::awaitable<void> ApplyToOrder(const Outbox& outbox, pg::Transaction& transaction, const Envelope& event,
                                   SagaEvent saga_event) {
  const std::string order_id = saga_event.order_id;
  const SagaOutcome outcome =
      co_await ApplySagaEvent(transaction, outbox, std::move(saga_event), messaging::CausedBy(event));
  if (std::holds_alternative<UnknownOrder>(outcome)) {
    // An order's events are emitted only after it committed, so this is not a race: the event
    // belongs to another system or the order's database was lost.
    throw messaging::PoisonEvent(event.type + " names order " + order_id +
                                 ", which this order service does not have");
  }
}

asio::awaitable<void> OnStockReserved(const Outbox& outbox, pg::Transaction& transaction, const Envelope& event) {
  co_await ApplyToOrder(outbox, transaction, event, ReadStockReserved(event));
}

asio::awaitable<void> OnStockReservationFailed(const Outbox& outbox, pg::Transaction& transaction,
                                               const Envelope& event) {
  co_await ApplyToOrder(outbox, transaction, event, ReadStockReservationFailed(event));
}

asio::awaitable<void> OnStockReleased(const Outbox& outbox, pg::Transaction& transaction, const Envelope& event) {
  co_await ApplyToOrder(outbox, transaction, event, ReadStockReleased(event));
}

asio::awaitable<void> OnPaymentSucceeded(const Outbox& outbox, pg::Transaction& transaction,
                                         const Envelope& event) {
  co_await ApplyToOrder(outbox, transaction, event, ReadPaymentSucceeded(event));
}

asio::awaitable<void> OnPaymentFailed(const Outbox& outbox, pg::Transaction& transaction, const Envelope& event) {
  co_await ApplyToOrder(outbox, transaction, event, ReadPaymentFailed(event));
}

asio::awaitable<void> OnPaymentRefunded(const Outbox& outbox, pg::Transaction& transaction,
                                        const Envelope& event) {
  co_await ApplyToOrder(outbox, transaction, event, ReadPaymentRefunded(event));
}

}  // namespace

std::vector<messaging::EventSubscription> EventHandlers(const Outbox& outbox) {
  return {
      {"catalog", "ProductCreated", OnProductCreated},
      {"catalog", "ProductUpdated", OnProductUpdated},
      {"catalog", "ProductPriceChanged", OnProductPriceChanged},
      {"catalog", "ProductArchived", OnProductArchived},
      {"stock", "StockReserved", std::bind_front(OnStockReserved, std::cref(outbox))},
      {"stock", "StockReservationFailed", std::bind_front(OnStockReservationFailed, std::cref(outbox))},
      {"stock", "StockReleased", std::bind_front(OnStockReleased, std::cref(outbox))},
      {"payment", "PaymentSucceeded", std::bind_front(OnPaymentSucceeded, std::cref(outbox))},
      {"payment", "PaymentFailed", std::bind_front(OnPaymentFailed, std::cref(outbox))},
      {"payment", "PaymentRefunded", std::bind_front(OnPaymentRefunded, std::cref(outbox))},
  };
}

}  // namespace microstore::order::api
