#include "stock/domain/requests.hpp"

#include <algorithm>
#include <charconv>

#include "platform/core/text.hpp"
#include "stock/domain/stock_item.hpp"

namespace microstore::stock {
namespace {

using nlohmann::json;

// Echoed names are chosen by the caller; keep them short.
std::string EchoedName(std::string_view name) { return core::TruncateUtf8(name, 100); }

bool IsAllowedControl(char32_t c) { return c == '\t' || c == '\n' || c == '\r'; }
bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }
bool IsBlank(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x3000;
}

void CheckReason(const json& body, Problems& problems, std::string& reason) {
  const auto it = body.find("reason");
  if (it == body.end()) {
    problems.push_back({"reason", "is required"});
    return;
  }
  if (!it->is_string()) {
    problems.push_back({"reason", "must be a string"});
    return;
  }
  const std::string& text = it->get_ref<const std::string&>();
  const auto code_points = core::DecodeUtf8(text);
  if (!code_points) {
    problems.push_back({"reason", "is not valid UTF-8"});
    return;
  }
  if (code_points->empty() || code_points->size() > kMaxReasonLength) {
    problems.push_back({"reason", "must be 1 to " + std::to_string(kMaxReasonLength) + " characters"});
    return;
  }
  if (std::all_of(code_points->begin(), code_points->end(), IsBlank)) {
    problems.push_back({"reason", "must not be blank"});
    return;
  }
  if (std::any_of(code_points->begin(), code_points->end(),
                  [](char32_t c) { return IsControl(c) && !IsAllowedControl(c); })) {
    problems.push_back({"reason", "must not contain control characters"});
    return;
  }
  reason = text;
}

// An integer of [min, max] at `field`; records a problem otherwise.
std::optional<std::int64_t> CheckInteger(const json& body, const char* field, std::int64_t min,
                                         std::int64_t max, Problems& problems) {
  const auto it = body.find(field);
  if (it == body.end()) {
    problems.push_back({field, "is required"});
    return std::nullopt;
  }
  const std::string range = "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (!it->is_number_integer()) {
    problems.push_back({field, range});
    return std::nullopt;
  }
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    problems.push_back({field, range});
    return std::nullopt;
  }
  const auto value = it->get<std::int64_t>();
  if (value < min || value > max) {
    problems.push_back({field, range});
    return std::nullopt;
  }
  return value;
}

// Refuses a body that is not an object, and every field not in `known`.
bool CheckShape(const json& body, std::initializer_list<std::string_view> known, Problems& problems) {
  if (!body.is_object()) {
    problems.push_back({"", "must be a JSON object"});
    return false;
  }
  for (const auto& [name, value] : body.items()) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      problems.push_back({EchoedName(name), "is not a known field"});
    }
  }
  return true;
}

std::optional<std::int64_t> ParseDecimal(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty() || text.size() > 19 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::variant<RestockRequest, Problems> ValidateRestock(const json& body) {
  Problems problems;
  RestockRequest request;
  if (CheckShape(body, {"quantity", "reason"}, problems)) {
    const auto quantity = CheckInteger(body, "quantity", 1, kMaxQuantity, problems);
    CheckReason(body, problems, request.reason);
    if (quantity) request.quantity = *quantity;
  }
  if (!problems.empty()) return problems;
  return request;
}

std::variant<AdjustmentRequest, Problems> ValidateAdjustment(const json& body) {
  Problems problems;
  AdjustmentRequest request;
  if (CheckShape(body, {"delta", "reason"}, problems)) {
    const auto delta = CheckInteger(body, "delta", -kMaxQuantity, kMaxQuantity, problems);
    if (delta == 0) problems.push_back({"delta", "must not be 0"});
    CheckReason(body, problems, request.reason);
    if (delta) request.delta = *delta;
  }
  if (!problems.empty()) return problems;
  return request;
}

std::variant<std::vector<std::string>, Problems> ParseItemLookup(const QueryParameters& parameters) {
  Problems problems;
  std::optional<std::string> list;
  for (const auto& [name, value] : parameters) {
    if (name != "product_id") {
      problems.push_back({EchoedName(name), "is not a known query parameter"});
    } else if (list) {
      problems.push_back({"product_id", "must be given once, with the ids separated by commas"});
    } else {
      list = value;
    }
  }
  if (!list) problems.push_back({"product_id", "is required"});
  if (!list || !problems.empty()) return problems;

  std::vector<std::string> ids;
  std::size_t position = 0;
  std::string_view rest = *list;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view text = rest.substr(0, comma);
    ++position;
    if (auto id = core::CanonicalUuid(text)) {
      if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(std::move(*id));
    } else {
      problems.push_back({"product_id", "id " + std::to_string(position) + " is not a UUID"});
      break;
    }
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  if (problems.empty() && ids.size() > kMaxLookupIds) {
    problems.push_back({"product_id", "names more than " + std::to_string(kMaxLookupIds) + " products"});
  }
  if (!problems.empty()) return problems;
  return ids;
}

std::variant<MovementsQuery, Problems> ParseMovementsQuery(const QueryParameters& parameters) {
  Problems problems;
  MovementsQuery query;
  bool seen_limit = false;
  bool seen_cursor = false;
  for (const auto& [name, value] : parameters) {
    if (name == "limit" && !seen_limit) {
      seen_limit = true;
      const auto limit = ParseDecimal(value);
      if (limit && *limit >= 1 && *limit <= 100) {
        query.limit = *limit;
      } else {
        problems.push_back({"limit", "must be an integer from 1 to 100"});
      }
    } else if (name == "cursor" && !seen_cursor) {
      seen_cursor = true;
      const auto id = ParseDecimal(value);
      if (id && *id >= 1) {
        query.before_id = *id;
      } else {
        problems.push_back({"cursor", "is not a next_cursor of this listing"});
      }
    } else if (name == "limit" || name == "cursor") {
      problems.push_back({name, "must be given once"});
    } else {
      problems.push_back({EchoedName(name), "is not a known query parameter"});
    }
  }
  if (!problems.empty()) return problems;
  return query;
}

std::string MovementsCursor(std::int64_t last_id) { return std::to_string(last_id); }

}  // namespace microstore::stock
