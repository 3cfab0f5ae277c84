#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "platform/core/decision.hpp"
#include "stock/domain/events.hpp"
#include "stock/domain/stock_item.hpp"

// What happens to a stock item outside reservations: catalog announces a product, an operator
// restocks or adjusts it.
namespace microstore::stock {

// A product stock has just heard of: its new item (NewItem) and StockLevelChanged (cause
// product_created) announcing it out of stock.
core::Changed<StockItem, Event> OpenItem(std::string product_id);

// The item after an operator's change and the change's audit entry.
struct ItemChange {
  StockItem item;
  Movement movement;

  bool operator==(const ItemChange&) const = default;
};
// Emits StockLevelChanged for the item after it (cause restock | adjustment).
using OperatorChange = core::Changed<ItemChange, Event>;

// An adjustment that would leave fewer than zero free units (a 409 for the operator).
struct InsufficientFree {
  std::int64_t free = 0;
  std::int64_t delta = 0;

  bool operator==(const InsufficientFree&) const = default;
};

// Adds `quantity` (1..kMaxQuantity, validated by the caller) to free.
OperatorChange Restock(const StockItem& item, std::int64_t quantity, std::string reason, std::string actor);

// Adds `delta` (non-zero, |delta| ≤ kMaxQuantity, validated by the caller) to free, unless free
// would go below zero. Reserved and shipped units are never adjusted: they belong to orders.
std::variant<OperatorChange, InsufficientFree> Adjust(const StockItem& item, std::int64_t delta,
                                                      std::string reason, std::string actor);

}  // namespace microstore::stock
