#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace microstore::payment {

// `text` as a canonical lower-case UUID (8-4-4-4-12 hex digits, either case accepted), or nullopt.
// Customer, order and payment ids are all UUIDs; comparing canonical forms keeps the owner check
// independent of how a producer spelled them.
std::optional<std::string> CanonicalUuid(std::string_view text);

// An ISO 4217-shaped currency code: exactly three upper-case ASCII letters.
bool IsCurrencyCode(std::string_view text);

}  // namespace microstore::payment
