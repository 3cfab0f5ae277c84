#include "stock/domain/item_changes.hpp"

#include <cassert>

namespace microstore::stock {
namespace {

OperatorChange Change(const StockItem& item, MovementKind kind, Cause cause, std::int64_t delta,
                      std::string reason, std::string actor) {
  StockItem after = item;
  after.free += delta;
  after.version += 1;
  Movement movement{.product_id = item.product_id,
                    .kind = kind,
                    .delta = delta,
                    .free_after = after.free,
                    .reserved_after = after.reserved,
                    .reason = std::move(reason),
                    .order_id = std::nullopt,
                    .actor = std::move(actor)};
  std::vector<Event> events{StockLevelChanged{after, cause}};
  return {.next = {std::move(after), std::move(movement)}, .events = std::move(events)};
}

}  // namespace

core::Changed<StockItem, Event> OpenItem(std::string product_id) {
  StockItem item = NewItem(std::move(product_id));
  std::vector<Event> events{StockLevelChanged{item, Cause::kProductCreated}};
  return {.next = std::move(item), .events = std::move(events)};
}

OperatorChange Restock(const StockItem& item, std::int64_t quantity, std::string reason, std::string actor) {
  assert(quantity >= 1 && quantity <= kMaxQuantity);
  return Change(item, MovementKind::kRestock, Cause::kRestock, quantity, std::move(reason), std::move(actor));
}

std::variant<OperatorChange, InsufficientFree> Adjust(const StockItem& item, std::int64_t delta,
                                                      std::string reason, std::string actor) {
  assert(delta != 0 && delta >= -kMaxQuantity && delta <= kMaxQuantity);
  if (item.free + delta < 0) return InsufficientFree{item.free, delta};
  return Change(item, MovementKind::kAdjustment, Cause::kAdjustment, delta, std::move(reason),
                std::move(actor));
}

}  // namespace microstore::stock
