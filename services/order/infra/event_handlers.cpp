#include "order/infra/event_handlers.hpp"

#include "order/app/orders.hpp"
#include "order/domain/saga.hpp"
#include "order/infra/event_payloads.hpp"
#include "order/infra/order_store.hpp"
#include "order/infra/product_copies.hpp"
#include "platform/log/log.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::order {
namespace {

namespace asio = boost::asio;
using messaging::Envelope;
using messaging::PoisonEvent;

// Payloads are read by infra/event_payloads.hpp: an unusable one throws PoisonEvent.

log::Context LogContext(const Envelope& event) { return {event.id, event.correlation_id}; }

// --- catalog -----------------------------------------------------------------------------------

void LogProductChange(const Envelope& event, const std::string& product_id, bool applied) {
  if (applied) return;
  log::Info(LogContext(event), "stale product event dropped",
            {{"event_id", event.id},
             {"type", event.type},
             {"product_id", product_id},
             {"event_version", event.aggregate.version}});
}

asio::awaitable<void> ApplyProductSnapshotEvent(pg::Transaction& transaction, const Envelope& event) {
  ProductCopy product = ReadProductSnapshot(event);
  const std::string product_id = product.product_id;
  const std::int64_t version = product.version;
  const bool applied = co_await ApplyProductSnapshot(transaction, std::move(product), version);
  LogProductChange(event, product_id, applied);
}

asio::awaitable<void> ApplyPriceChangedEvent(pg::Transaction& transaction, const Envelope& event) {
  PriceChange change = ReadPriceChanged(event);
  const bool applied = co_await ApplyPriceChange(transaction, change.product_id, std::move(change.sku),
                                                 change.price_minor, std::move(change.currency), change.version);
  LogProductChange(event, change.product_id, applied);
}

asio::awaitable<void> ApplyArchivedEvent(pg::Transaction& transaction, const Envelope& event) {
  ArchivedProduct archived = ReadProductArchived(event);
  const bool applied =
      co_await ApplyArchived(transaction, archived.product_id, std::move(archived.sku), archived.version);
  LogProductChange(event, archived.product_id, applied);
}

// --- stock and payment -------------------------------------------------------------------------

asio::awaitable<void> ApplySagaEvent(pg::Transaction& transaction, const Envelope& event,
                                     std::string node_id) {
  SagaEvent saga_event = ReadSagaEvent(event);
  const std::string order_id = std::move(saga_event.order_id);
  SagaInput input = std::move(saga_event.input);
  const std::optional<Order> current = co_await LockOrder(transaction, order_id);
  if (!current) {
    // An order's events are emitted only after it committed, so this is not a race: the event
    // belongs to another system or the order's database was lost.
    throw PoisonEvent(event.type + " names order " + order_id + ", which this order service does not have");
  }
  Applied applied =
      co_await DecideAndSave(transaction, *current, std::move(input), messaging::CausedBy(event), node_id);
  if (const auto* stale = std::get_if<decision::Stale>(&applied.decision)) {
    const log::Fields fields = {{"event_id", event.id},
                                {"type", event.type},
                                {"order_id", order_id},
                                {"event_version", event.aggregate.version},
                                {"order_version", current->state.version},
                                {"order_status", ToString(current->state.status)},
                                {"reservation_version", current->state.reservation_version},
                                {"payment_version", current->state.payment_version},
                                {"why", stale->why}};
    if (stale->contradiction) {
      log::Warn(LogContext(event), "contradictory saga event dropped", fields);
    } else {
      log::Info(LogContext(event), "stale saga event dropped", fields);
    }
  } else if (const auto* ignored = std::get_if<decision::Ignored>(&applied.decision)) {
    log::Info(LogContext(event), "saga event changes nothing",
              {{"event_id", event.id}, {"type", event.type}, {"order_id", order_id}, {"why", ignored->why}});
  }
}

}  // namespace

std::vector<messaging::EventSubscription> EventSubscriptions(std::string node_id) {
  std::vector<messaging::EventSubscription> subscriptions;
  for (const char* type : {"ProductCreated", "ProductUpdated"}) {
    subscriptions.push_back({"catalog", type, ApplyProductSnapshotEvent});
  }
  subscriptions.push_back({"catalog", "ProductPriceChanged", ApplyPriceChangedEvent});
  subscriptions.push_back({"catalog", "ProductArchived", ApplyArchivedEvent});
  for (const char* type : {"StockReserved", "StockReservationFailed", "StockReleased"}) {
    subscriptions.push_back({"stock", type, [node_id](pg::Transaction& transaction, const Envelope& event) {
                               return ApplySagaEvent(transaction, event, node_id);
                             }});
  }
  for (const char* type : {"PaymentSucceeded", "PaymentFailed", "PaymentRefunded"}) {
    subscriptions.push_back({"payment", type, [node_id](pg::Transaction& transaction, const Envelope& event) {
                               return ApplySagaEvent(transaction, event, node_id);
                             }});
  }
  return subscriptions;
}

}  // namespace microstore::order
