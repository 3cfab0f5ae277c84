#include "order/domain/requests.hpp"

#include <algorithm>

#include "platform/core/encoding.hpp"

namespace microstore::order {

bool IsLineCount(std::size_t lines) { return lines >= 1 && lines <= kMaxLines; }

bool IsQuantity(std::int64_t quantity) { return quantity >= 1 && quantity <= kMaxQuantity; }

std::optional<std::size_t> LineOrdering(const std::vector<RequestedLine>& lines, std::string_view product_id) {
  const auto line = std::find_if(lines.begin(), lines.end(),
                                 [&](const RequestedLine& other) { return other.product_id == product_id; });
  if (line == lines.end()) return std::nullopt;
  return static_cast<std::size_t>(line - lines.begin());
}

std::string RequestFingerprint(const std::vector<RequestedLine>& lines) {
  // A UUID needs no escaping in a JSON string, so this is the compact JSON of the lines.
  std::string canonical = "[";
  for (const auto& line : lines) {
    if (canonical.size() > 1) canonical += ',';
    canonical += "[\"" + line.product_id + "\"," + std::to_string(line.quantity) + "]";
  }
  canonical += ']';
  return core::Sha256Hex(canonical);
}

}  // namespace microstore::order
