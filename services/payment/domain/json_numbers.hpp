#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

namespace microstore::payment {

// Whether the JSON integer `value` lies within min..max. Parsed JSON holds non-negative integers as
// unsigned and negative ones as signed, so both kinds are compared without overflow.
inline bool InRange(const nlohmann::json& value, std::int64_t min, std::int64_t max) {
  if (value.is_number_unsigned()) {
    const std::uint64_t number = value.get<std::uint64_t>();
    return (min <= 0 || number >= static_cast<std::uint64_t>(min)) && max >= 0 &&
           number <= static_cast<std::uint64_t>(max);
  }
  if (!value.is_number_integer()) return false;
  const std::int64_t number = value.get<std::int64_t>();
  return number >= min && number <= max;
}

}  // namespace microstore::payment
