#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

// Validation of what clients send: every problem is reported at once, each naming its field
// (a body field, a query parameter, or the header "Idempotency-Key").
namespace microstore::payment {

struct FieldProblem {
  std::string field{};
  std::string message{};

  bool operator==(const FieldProblem&) const = default;
};
using Problems = std::vector<FieldProblem>;

inline constexpr const char* kIdempotencyKeyHeader = "Idempotency-Key";
inline constexpr std::size_t kMaxIdempotencyKeyLength = 200;

// The Idempotency-Key header: required, 1–200 printable ASCII characters (0x20–0x7E).
std::optional<FieldProblem> CheckIdempotencyKey(std::optional<std::string_view> header);

// POST …/deposits body: {amount_minor (integer 1..10^10), currency (optional: the account's)}.
// Unknown fields are refused.
struct DepositRequest {
  std::int64_t amount_minor = 0;
  std::optional<std::string> currency{};

  bool operator==(const DepositRequest&) const = default;
};
std::variant<DepositRequest, Problems> ValidateDeposit(const nlohmann::json& body);

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::int64_t kDefaultPageSize = 20;
inline constexpr std::int64_t kMaxPageSize = 100;

// A page of the ledger, newest first: entries strictly older than `before` (the cursor).
struct PageQuery {
  std::int64_t limit = kDefaultPageSize;
  std::optional<std::int64_t> before{};  // the position of the last entry of the previous page

  bool operator==(const PageQuery&) const = default;
};
// ?limit=1..100&cursor=…; any other parameter, or one given twice, is refused.
std::variant<PageQuery, Problems> ParsePageQuery(const QueryParameters& parameters);


// Opaque text for `next_cursor` naming a position in the ledger (base64url).
std::string EncodeCursor(std::int64_t position);
// nullopt for anything EncodeCursor did not produce.
std::optional<std::int64_t> DecodeCursor(std::string_view text);

}  // namespace microstore::payment
