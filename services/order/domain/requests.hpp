#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What a customer's create request asks for, once read (api/json.cpp reads the body), and the
// rules it must follow.
namespace microstore::order {

// One order holds 1 to kMaxLines lines, each of 1 to kMaxQuantity units of one product.
inline constexpr std::size_t kMaxLines = 100;
inline constexpr std::int64_t kMaxQuantity = 1000;

bool IsLineCount(std::size_t lines);
bool IsQuantity(std::int64_t quantity);

// A line of a create request.
struct RequestedLine {
  std::string product_id;  // lower-case UUID
  std::int64_t quantity = 0;

  bool operator==(const RequestedLine&) const = default;
};

// The index of the line of `lines` that already orders `product_id`: a product goes on one line
// only (the customer puts the whole quantity there), so a later line repeating it is refused.
std::optional<std::size_t> LineOrdering(const std::vector<RequestedLine>& lines, std::string_view product_id);

// A digest of what the request asks for (the lines in order), stored with the order so a
// replay with the same key can be told from a different request reusing it. Product ids must be
// lower-case UUIDs, as reading the request leaves them: the digest is SHA-256 (hex) of the lines
// written as the JSON [[product_id, quantity], …], the form already stored fingerprints have.
std::string RequestFingerprint(const std::vector<RequestedLine>& lines);

}  // namespace microstore::order
