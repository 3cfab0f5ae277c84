#include "infra/event_handlers.hpp"

#include "app/orders.hpp"
#include "core/ids.hpp"
#include "domain/saga.hpp"
#include "infra/order_store.hpp"
#include "infra/product_copies.hpp"
#include "log/log.hpp"
#include "pg/pool.hpp"

namespace microstore::order {
namespace {

namespace asio = boost::asio;
using messaging::Envelope;
using messaging::PoisonEvent;
using nlohmann::json;

// Reading payload fields: anything missing or of the wrong shape is poison, named in the message.
const json& Field(const Envelope& event, const char* name) {
  const auto it = event.payload.find(name);
  if (it == event.payload.end()) throw PoisonEvent(event.type + " payload has no " + name);
  return *it;
}

std::string Text(const Envelope& event, const char* name) {
  const json& value = Field(event, name);
  if (!value.is_string()) throw PoisonEvent(event.type + " payload field " + name + " is not a string");
  return value.get<std::string>();
}

std::string Uuid(const Envelope& event, const char* name) {
  auto id = core::CanonicalUuid(Text(event, name));
  if (!id) throw PoisonEvent(event.type + " payload field " + name + " is not a UUID");
  return std::move(*id);
}

std::int64_t Integer(const Envelope& event, const char* name) {
  const json& value = Field(event, name);
  if (!value.is_number_integer() || (value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX) ||
      value.get<std::int64_t>() < 0) {
    throw PoisonEvent(event.type + " payload field " + name + " is not a non-negative integer");
  }
  return value.get<std::int64_t>();
}

bool Boolean(const Envelope& event, const char* name) {
  const json& value = Field(event, name);
  if (!value.is_boolean()) throw PoisonEvent(event.type + " payload field " + name + " is not a boolean");
  return value.get<bool>();
}

std::int64_t AggregateVersion(const Envelope& event) {
  if (event.aggregate.version < 1) throw PoisonEvent(event.type + " has aggregate version below 1");
  return event.aggregate.version;
}

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
  ProductCopy product{.product_id = Uuid(event, "product_id"),
                      .sku = Text(event, "sku"),
                      .name = Text(event, "name"),
                      .price_minor = Integer(event, "price_minor"),
                      .currency = Text(event, "currency"),
                      .archived = Boolean(event, "archived"),
                      .version = AggregateVersion(event)};
  const std::string product_id = product.product_id;
  const std::int64_t version = product.version;
  const bool applied = co_await ApplyProductSnapshot(transaction, std::move(product), version);
  LogProductChange(event, product_id, applied);
}

asio::awaitable<void> ApplyPriceChangedEvent(pg::Transaction& transaction, const Envelope& event) {
  const std::string product_id = Uuid(event, "product_id");
  const bool applied =
      co_await ApplyPriceChange(transaction, product_id, Text(event, "sku"), Integer(event, "price_minor"),
                                Text(event, "currency"), AggregateVersion(event));
  LogProductChange(event, product_id, applied);
}

asio::awaitable<void> ApplyArchivedEvent(pg::Transaction& transaction, const Envelope& event) {
  const std::string product_id = Uuid(event, "product_id");
  const bool applied =
      co_await ApplyArchived(transaction, product_id, Text(event, "sku"), AggregateVersion(event));
  LogProductChange(event, product_id, applied);
}

// --- stock and payment -------------------------------------------------------------------------

SagaInput SagaInputOf(const Envelope& event) {
  const std::int64_t version = AggregateVersion(event);
  if (event.type == "StockReserved") return saga::StockReserved{version};
  if (event.type == "StockReservationFailed") return saga::StockReservationFailed{version};
  if (event.type == "StockReleased") return saga::StockReleased{version};
  if (event.type == "PaymentSucceeded") return saga::PaymentSucceeded{version};
  if (event.type == "PaymentFailed") return saga::PaymentFailed{version, Text(event, "reason")};
  if (event.type == "PaymentRefunded") return saga::PaymentRefunded{version};
  throw PoisonEvent("the order service does not apply " + event.type + " to orders");
}

asio::awaitable<void> ApplySagaEvent(pg::Transaction& transaction, const Envelope& event,
                                     std::string node_id) {
  const std::string order_id = Uuid(event, "order_id");
  SagaInput input = SagaInputOf(event);
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
