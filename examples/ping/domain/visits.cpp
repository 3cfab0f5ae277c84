#include "ping/domain/visits.hpp"

#include "platform/core/numbers.hpp"

namespace microstore::ping {

bool IsValidName(std::string_view name) { return !name.empty() && name.size() <= kMaxNameBytes; }

std::optional<std::chrono::milliseconds> ParseDelay(std::string_view text) {
  const auto ms = core::ParseInteger(text, 0, kMaxDelay.count());
  if (!ms) return std::nullopt;
  return std::chrono::milliseconds(*ms);
}

}  // namespace microstore::ping
