#include "stock/domain/requests.hpp"

#include <algorithm>

#include "platform/core/text.hpp"
#include "stock/domain/stock_item.hpp"

namespace microstore::stock {
namespace {

bool IsAllowedControl(char32_t c) { return c == '\t' || c == '\n' || c == '\r'; }
bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }
bool IsBlank(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x3000;
}

}  // namespace

std::optional<std::string> ReasonProblem(std::string_view reason) {
  const auto code_points = core::DecodeUtf8(reason);
  if (!code_points) return "is not valid UTF-8";
  if (code_points->empty() || code_points->size() > kMaxReasonLength) {
    return "must be 1 to " + std::to_string(kMaxReasonLength) + " characters";
  }
  if (std::all_of(code_points->begin(), code_points->end(), IsBlank)) return "must not be blank";
  if (std::any_of(code_points->begin(), code_points->end(),
                  [](char32_t c) { return IsControl(c) && !IsAllowedControl(c); })) {
    return "must not contain control characters";
  }
  return std::nullopt;
}

std::optional<std::string> DeltaProblem(std::int64_t delta) {
  if (delta == 0) return "must not be 0";
  return std::nullopt;
}

}  // namespace microstore::stock
