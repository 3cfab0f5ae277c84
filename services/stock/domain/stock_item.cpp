#include "stock/domain/stock_item.hpp"

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
  EventDraft event = LevelChanged(after, cause);
  return {std::move(after), std::move(movement), std::move(event)};
}

}  // namespace

StockItem NewItem(std::string product_id) { return {.product_id = std::move(product_id)}; }

std::string_view ToString(Cause cause) {
  switch (cause) {
    case Cause::kProductCreated:
      return "product_created";
    case Cause::kRestock:
      return "restock";
    case Cause::kAdjustment:
      return "adjustment";
    case Cause::kReservation:
      return "reservation";
    case Cause::kRelease:
      return "release";
  }
  return "";
}

EventDraft LevelChanged(const StockItem& item, Cause cause) {
  return {"StockLevelChanged",
          {"stock_item", item.product_id, item.version, std::string(item.Status())},
          {{"product_id", item.product_id},
           {"free", item.free},
           {"reserved", item.reserved},
           {"shipped", item.shipped},
           {"in_stock", item.InStock()},
           {"version", item.version},
           {"cause", ToString(cause)}}};
}

std::string_view ToString(MovementKind kind) {
  switch (kind) {
    case MovementKind::kRestock:
      return "restock";
    case MovementKind::kAdjustment:
      return "adjustment";
    case MovementKind::kReservation:
      return "reservation";
    case MovementKind::kRelease:
      return "release";
  }
  return "";
}

std::optional<MovementKind> ParseMovementKind(std::string_view text) {
  for (MovementKind kind : {MovementKind::kRestock, MovementKind::kAdjustment, MovementKind::kReservation,
                            MovementKind::kRelease}) {
    if (ToString(kind) == text) return kind;
  }
  return std::nullopt;
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
