#pragma once

#include <string_view>

#include "platform/core/ids.hpp"

namespace microstore::payment {

// Customer, order and payment ids are all UUIDs; comparing canonical forms (core::CanonicalUuid)
// keeps the owner check independent of how a producer spelled them. (The payment name is kept
// for the unit tests.)

// An ISO 4217-shaped currency code: exactly three upper-case ASCII letters.
bool IsCurrencyCode(std::string_view text);

}  // namespace microstore::payment
