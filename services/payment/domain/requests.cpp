#include "payment/domain/requests.hpp"

#include <charconv>

#include "platform/core/encoding.hpp"
#include "payment/domain/account.hpp"
#include "payment/domain/ids.hpp"
#include "payment/domain/json_numbers.hpp"

namespace microstore::payment {
namespace {

constexpr std::string_view kCursorPrefix = "ledger:";

bool IsPrintableAscii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// A decimal integer made of digits only (an optional leading '-'), in range.
std::optional<std::int64_t> ParseInteger(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string Printable(std::string_view name) {
  std::string shown;
  for (const char c : name.substr(0, 64)) shown += IsPrintableAscii({&c, 1}) ? c : '?';
  return shown;
}

}  // namespace

std::optional<FieldProblem> CheckIdempotencyKey(std::optional<std::string_view> header) {
  if (!header) return FieldProblem{kIdempotencyKeyHeader, "is required"};
  if (header->empty() || header->size() > kMaxIdempotencyKeyLength) {
    return FieldProblem{kIdempotencyKeyHeader, "must be 1-200 characters"};
  }
  if (!IsPrintableAscii(*header)) return FieldProblem{kIdempotencyKeyHeader, "must be printable ASCII"};
  return std::nullopt;
}

std::variant<DepositRequest, Problems> ValidateDeposit(const nlohmann::json& body) {
  if (!body.is_object()) return Problems{{"", "must be a JSON object"}};
  Problems problems;
  DepositRequest request;
  const auto amount = body.find("amount_minor");
  if (amount == body.end()) {
    problems.push_back({"amount_minor", "is required"});
  } else if (!amount->is_number_integer()) {
    problems.push_back({"amount_minor", "must be an integer number of minor units"});
  } else if (!InRange(*amount, kMinDepositMinor, kMaxDepositMinor)) {
    problems.push_back({"amount_minor", "must be between 1 and " + std::to_string(kMaxDepositMinor)});
  } else {
    request.amount_minor = amount->get<std::int64_t>();
  }
  if (const auto currency = body.find("currency"); currency != body.end()) {
    if (!currency->is_string() || !IsCurrencyCode(currency->get_ref<const std::string&>())) {
      problems.push_back({"currency", "must be a currency code of three upper-case letters"});
    } else {
      request.currency = currency->get<std::string>();
    }
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "amount_minor" && key != "currency")
      problems.push_back({Printable(key), "is not a known field"});
  }
  if (!problems.empty()) return problems;
  return request;
}

std::variant<PageQuery, Problems> ParsePageQuery(const QueryParameters& parameters) {
  Problems problems;
  PageQuery query;
  bool seen_limit = false;
  bool seen_cursor = false;
  for (const auto& [name, value] : parameters) {
    if (name == "limit") {
      if (seen_limit) {
        problems.push_back({"limit", "is given more than once"});
        continue;
      }
      seen_limit = true;
      const auto limit = ParseInteger(value);
      if (!limit || *limit < 1 || *limit > kMaxPageSize) {
        problems.push_back({"limit", "must be an integer between 1 and " + std::to_string(kMaxPageSize)});
      } else {
        query.limit = *limit;
      }
    } else if (name == "cursor") {
      if (seen_cursor) {
        problems.push_back({"cursor", "is given more than once"});
        continue;
      }
      seen_cursor = true;
      query.before = DecodeCursor(value);
      if (!query.before) problems.push_back({"cursor", "is not a cursor this listing returned"});
    } else {
      problems.push_back({Printable(name), "is not a known query parameter"});
    }
  }
  if (!problems.empty()) return problems;
  return query;
}

std::string EncodeCursor(std::int64_t position) {
  return core::Base64UrlEncode(std::string(kCursorPrefix) + std::to_string(position));
}

std::optional<std::int64_t> DecodeCursor(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  const auto raw = core::Base64UrlDecode(text);
  if (!raw || !raw->starts_with(kCursorPrefix)) return std::nullopt;
  const std::string_view digits = std::string_view(*raw).substr(kCursorPrefix.size());
  if (digits.empty() || digits.front() == '-' || digits.front() == '+') return std::nullopt;
  const auto position = ParseInteger(digits);
  if (!position || *position < 1) return std::nullopt;
  return position;
}

}  // namespace microstore::payment
