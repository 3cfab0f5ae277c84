#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The requests of the stock API as plain values, and the rules on their values. Reading them
// from HTTP (body shapes, query parameters) is api/json.hpp's.
namespace microstore::stock {

// POST …/restock {quantity: integer 1..kMaxQuantity, reason}.
struct RestockRequest {
  std::int64_t quantity = 0;
  std::string reason;

  bool operator==(const RestockRequest&) const = default;
};
// POST …/adjustments {delta: non-zero integer, |delta| ≤ kMaxQuantity, reason}.
struct AdjustmentRequest {
  std::int64_t delta = 0;
  std::string reason;

  bool operator==(const AdjustmentRequest&) const = default;
};

// What is wrong with an operator's reason, phrased to follow the field's name, or nullopt: it
// must be valid UTF-8 of 1..kMaxReasonLength characters (code points, not bytes), not blank, and
// hold no control characters other than tab and line breaks.
std::optional<std::string> ReasonProblem(std::string_view reason);

// What is wrong with an adjustment's delta once it is within ±kMaxQuantity: it must move stock.
std::optional<std::string> DeltaProblem(std::int64_t delta);

// GET /items?product_id=<id>,<id>…: at most this many ids.
inline constexpr std::size_t kMaxLookupIds = 100;

// GET …/movements: a page of up to `limit` movements, older than `before_id` when given.
struct MovementsQuery {
  std::int64_t limit = 20;
  std::optional<std::int64_t> before_id;

  bool operator==(const MovementsQuery&) const = default;
};

}  // namespace microstore::stock
