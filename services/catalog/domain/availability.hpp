#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "catalog/domain/events.hpp"
#include "platform/core/decision.hpp"

// What the catalogue learns from stock: whether a product can be bought now (R31, the "in stock"
// filter). Stock's StockLevelChanged {product_id, in_stock, free, …} with aggregate
// {type "stock_item", id product_id, version}: the highest version applied wins.
namespace microstore::catalog {

struct Availability {
  std::string product_id;
  bool in_stock = false;
  std::int64_t version = 0;  // the stock item's version

  bool operator==(const Availability&) const = default;
};

// What a reported stock level does to a product whose availability came from stock version
// `shown` (0 before any; nullopt: no such product): the report when it is newer, else nothing.
// Availability emits no event of its own.
core::Decision<Availability, Event> DecideAvailability(std::optional<std::int64_t> shown,
                                                       const Availability& reported);

}  // namespace microstore::catalog
