#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The stock of one product and its audit log.
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

// A stored movement: its id orders the audit log (newer is larger).
struct MovementRecord {
  std::int64_t id = 0;
  Movement movement;
  std::string occurred_at;  // RFC 3339 UTC, milliseconds

  bool operator==(const MovementRecord&) const = default;
};

// One page of a product's movements, newest first. When a next page exists, `next_before_id`
// is the id of this page's last (oldest) movement: the next page holds the ones older than it.
struct MovementPage {
  std::vector<MovementRecord> movements;
  std::optional<std::int64_t> next_before_id;

  bool operator==(const MovementPage&) const = default;
};

// Sums over every item; `received` is counted from the audit log (restocks and adjustments),
// independently of the items, so that received == free + reserved + shipped can be checked.
struct Totals {
  std::int64_t received = 0;
  std::int64_t free = 0;
  std::int64_t reserved = 0;
  std::int64_t shipped = 0;
  std::int64_t products = 0;

  bool operator==(const Totals&) const = default;
};

// Limits of operator input: a restock adds 1..kMaxQuantity; an adjustment's delta is non-zero
// and at most kMaxQuantity either way; a reason is 1..kMaxReasonLength characters.
inline constexpr std::int64_t kMaxQuantity = 1'000'000;
inline constexpr std::size_t kMaxReasonLength = 500;

}  // namespace microstore::stock
