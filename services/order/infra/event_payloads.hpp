#pragma once

#include <cstdint>
#include <string>

#include "order/domain/pricing.hpp"
#include "order/domain/saga.hpp"
#include "platform/messaging/envelope.hpp"

// Reading the payloads of the events the order service consumes (infra/event_handlers.hpp),
// apart from their handlers so the readers can be tested and fuzzed without a database. A payload
// that is unusable — a missing or mistyped field, an id that is not a UUID, a negative number, an
// aggregate version below 1 — throws messaging::PoisonEvent naming the field (never its value);
// nothing else is thrown (std::bad_alloc aside). Other fields are ignored. Ids come back
// canonical (lower-case UUIDs).
namespace microstore::order {

// catalog ProductCreated / ProductUpdated {product_id, sku, name, price_minor, currency, archived};
// the copy's version is the event's aggregate version.
ProductCopy ReadProductSnapshot(const messaging::Envelope& event);

// catalog ProductPriceChanged {product_id, sku, price_minor, currency}.
struct PriceChange {
  std::string product_id;
  std::string sku;
  std::int64_t price_minor = 0;
  std::string currency;
  std::int64_t version = 0;  // the aggregate version

  bool operator==(const PriceChange&) const = default;
};
PriceChange ReadPriceChanged(const messaging::Envelope& event);

// catalog ProductArchived {product_id, sku}.
struct ArchivedProduct {
  std::string product_id;
  std::string sku;
  std::int64_t version = 0;  // the aggregate version

  bool operator==(const ArchivedProduct&) const = default;
};
ArchivedProduct ReadProductArchived(const messaging::Envelope& event);

// stock StockReserved, StockReservationFailed, StockReleased and payment PaymentSucceeded,
// PaymentFailed (also `reason`), PaymentRefunded: {order_id, …}, the source aggregate's version.
// Another type is poison too.
struct SagaEvent {
  std::string order_id;
  SagaInput input;
};
SagaEvent ReadSagaEvent(const messaging::Envelope& event);

}  // namespace microstore::order
