#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "platform/messaging/envelope.hpp"

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

// The availability a StockLevelChanged event reports, or why the event is unusable.
std::variant<Availability, std::string> ParseStockLevelChanged(const messaging::Envelope& event);

}  // namespace microstore::catalog
