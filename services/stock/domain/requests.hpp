#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "stock/domain/common.hpp"

// Validation of the HTTP input of the stock API. Every problem is reported at once, each naming
// its field (a body field or a query parameter).
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
// A reason is a string of 1..kMaxReasonLength characters (code points), not blank, without
// control characters other than tab and line breaks. Unknown body fields are refused.
std::variant<RestockRequest, Problems> ValidateRestock(const nlohmann::json& body);
std::variant<AdjustmentRequest, Problems> ValidateAdjustment(const nlohmann::json& body);

// Query parameters, percent-decoded, in order (repeats kept).
using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// GET /items?product_id=<id>,<id>…: one parameter, 1..kMaxLookupIds comma-separated UUIDs. The
// ids in canonical form, in the order given, without repeats.
inline constexpr std::size_t kMaxLookupIds = 100;
std::variant<std::vector<std::string>, Problems> ParseItemLookup(const QueryParameters& parameters);

// GET …/movements?limit=1..100 (default 20)&cursor=<next_cursor of the previous page>.
struct MovementsQuery {
  std::int64_t limit = 20;
  std::optional<std::int64_t> before_id;  // the page holds movements older than this one

  bool operator==(const MovementsQuery&) const = default;
};
std::variant<MovementsQuery, Problems> ParseMovementsQuery(const QueryParameters& parameters);
// The next_cursor of a page whose last (oldest) movement is `last_id`.
std::string MovementsCursor(std::int64_t last_id);


}  // namespace microstore::stock
