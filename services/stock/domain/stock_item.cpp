#include "stock/domain/stock_item.hpp"

namespace microstore::stock {

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

}  // namespace microstore::stock
