#include "order/infra/event_payloads.hpp"

#include "platform/core/ids.hpp"
#include "platform/messaging/inbox.hpp"

namespace microstore::order {
namespace {

using messaging::Envelope;
using messaging::PoisonEvent;
using nlohmann::json;

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

}  // namespace

ProductCopy ReadProductSnapshot(const Envelope& event) {
  return ProductCopy{.product_id = Uuid(event, "product_id"),
                     .sku = Text(event, "sku"),
                     .name = Text(event, "name"),
                     .price_minor = Integer(event, "price_minor"),
                     .currency = Text(event, "currency"),
                     .archived = Boolean(event, "archived"),
                     .version = AggregateVersion(event)};
}

PriceChange ReadPriceChanged(const Envelope& event) {
  return PriceChange{.product_id = Uuid(event, "product_id"),
                     .sku = Text(event, "sku"),
                     .price_minor = Integer(event, "price_minor"),
                     .currency = Text(event, "currency"),
                     .version = AggregateVersion(event)};
}

ArchivedProduct ReadProductArchived(const Envelope& event) {
  return ArchivedProduct{
      .product_id = Uuid(event, "product_id"), .sku = Text(event, "sku"), .version = AggregateVersion(event)};
}

SagaEvent ReadSagaEvent(const Envelope& event) {
  std::string order_id = Uuid(event, "order_id");
  return SagaEvent{std::move(order_id), SagaInputOf(event)};
}

}  // namespace microstore::order
