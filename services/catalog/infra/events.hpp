#pragma once

#include <vector>

#include "catalog/domain/events.hpp"
#include "platform/messaging/envelope.hpp"

// The catalogue's events as outbox rows (contracts/asyncapi.yaml): schema_version 1, aggregate
// {"product", id, version, status} of the product after the change, and payloads
//   ProductCreated       the product's public JSON without in_stock, "product_id" in place of "id"
//   ProductUpdated       the same shape after the change
//   ProductPriceChanged  {product_id, sku, old_price_minor, price_minor, currency}
//   ProductArchived      {product_id, sku}
namespace microstore::catalog {

messaging::AggregateRef AggregateOf(const Product& product);

messaging::EventDraft ToDraft(const Event& event);
std::vector<messaging::EventDraft> ToDrafts(const std::vector<Event>& events);

}  // namespace microstore::catalog
