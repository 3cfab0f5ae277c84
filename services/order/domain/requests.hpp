#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "order/domain/order.hpp"
#include "order/domain/pricing.hpp"
#include "order/domain/validation.hpp"

// Reading the order API's requests. Every problem is reported at once, naming its field.
namespace microstore::order {

inline constexpr std::size_t kMaxLines = 100;
inline constexpr std::int64_t kMaxQuantity = 1000;
inline constexpr std::size_t kMaxIdempotencyKeyBytes = 200;
inline constexpr std::size_t kDefaultLimit = 20;
inline constexpr std::size_t kMaxLimit = 100;

// The body of POST /orders: {"items": [{"product_id": UUID, "quantity": 1..1000}, …]} with 1–100
// lines. Product ids are returned lower-case. A product repeated on a later line is refused on
// that line ("items[j].product_id"): the customer puts the whole quantity on one line. Unknown
// fields are refused.
std::variant<std::vector<RequestedLine>, Problems> ParseCreateOrder(const nlohmann::json& body);

// The Idempotency-Key header: required, 1–200 bytes of printable ASCII (space to '~'). A problem
// naming "Idempotency-Key" when missing or malformed.
std::optional<FieldProblem> CheckIdempotencyKey(const std::optional<std::string_view>& key);

// A digest of what the request asks for (the lines in order), stored with the order so a
// replay with the same key can be told from a different request reusing it.
std::string RequestFingerprint(const std::vector<RequestedLine>& lines);

// Where a page of a listing ended (newest first: created_at descending, then id descending).
struct OrderCursor {
  std::int64_t created_at_us = 0;  // microseconds since the Unix epoch
  std::string id;                  // lower-case UUID

  bool operator==(const OrderCursor&) const = default;
};
// Opaque text for next_cursor (base64url).
std::string EncodeCursor(const OrderCursor& cursor);
// nullopt for anything EncodeCursor did not produce.
std::optional<OrderCursor> DecodeCursor(std::string_view text);

struct OrderListQuery {
  std::optional<std::string> customer_id;
  std::vector<OrderStatus> statuses;  // empty: any
  std::size_t limit = kDefaultLimit;
  std::optional<OrderCursor> after;

  bool operator==(const OrderListQuery&) const = default;
};

// The (percent-decoded) query parameters of GET /orders: customer_id, status (a comma-separated
// list of statuses), limit (1–100, default 20), cursor. Unknown or repeated parameters and bad
// values are problems naming the parameter.
std::variant<OrderListQuery, Problems> ParseListQuery(
    const std::vector<std::pair<std::string, std::string>>& parameters);

}  // namespace microstore::order
