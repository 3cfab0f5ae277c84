#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "stock/domain/common.hpp"

// The stock of one product and the operator's changes to it.
//
// Quantities: `free` can be reserved by orders, `reserved` is booked by orders not yet shipped,
// `shipped` has left the warehouse. Everything ever received (restocks and adjustments) equals
// free + reserved + shipped at all times (R16): reservations and releases only move units
// between free and reserved. free, reserved and shipped are never negative.
namespace microstore::stock {

struct StockItem {
  std::string product_id;  // canonical UUID
  std::int64_t free = 0;
  std::int64_t reserved = 0;
  std::int64_t shipped = 0;
  std::int64_t version = 1;  // +1 on every change

  bool InStock() const { return free > 0; }
  std::string_view Status() const { return InStock() ? "IN_STOCK" : "OUT_OF_STOCK"; }

  bool operator==(const StockItem&) const = default;
};

// The item of a product stock has just heard of (catalog ProductCreated): nothing free, version 1.
StockItem NewItem(std::string product_id);

// Why the level changed: the `cause` of StockLevelChanged.
enum class Cause { kProductCreated, kRestock, kAdjustment, kReservation, kRelease };
std::string_view ToString(Cause cause);

// StockLevelChanged for `item` after a change: aggregate {"stock_item", product_id, version,
// IN_STOCK | OUT_OF_STOCK}, payload {product_id, free, reserved, shipped, in_stock, version, cause}.
EventDraft LevelChanged(const StockItem& item, Cause cause);

// An entry of the audit log (stock_movements): every change of `free` with who and why.
enum class MovementKind { kRestock, kAdjustment, kReservation, kRelease };
std::string_view ToString(MovementKind kind);
std::optional<MovementKind> ParseMovementKind(std::string_view text);

struct Movement {
  std::string product_id;
  MovementKind kind = MovementKind::kRestock;
  std::int64_t delta = 0;  // change of `free`: + restock, ± adjustment, − reservation, + release
  std::int64_t free_after = 0;
  std::int64_t reserved_after = 0;
  std::optional<std::string> reason;    // operator's text; the release reason for releases
  std::optional<std::string> order_id;  // reservations and releases
  std::optional<std::string> actor;     // the operator (JWT sub); none for changes caused by events

  bool operator==(const Movement&) const = default;
};

// Limits of operator input: a restock adds 1..kMaxQuantity; an adjustment's delta is non-zero
// and at most kMaxQuantity either way; a reason is 1..kMaxReasonLength characters.
inline constexpr std::int64_t kMaxQuantity = 1'000'000;
inline constexpr std::size_t kMaxReasonLength = 500;

// The outcome of an operator change: the item after it, its audit entry and its event.
struct OperatorChange {
  StockItem item;
  Movement movement;
  EventDraft event;

  bool operator==(const OperatorChange&) const = default;
};

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
