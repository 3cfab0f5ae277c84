#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace microstore::core {

// A decimal integer within [min, max] written as a client would: ASCII digits with an optional
// leading '-', nothing else (no '+', no spaces, no fraction, at most 20 characters). nullopt
// for anything else, including a number outside the range or beyond int64.
std::optional<std::int64_t> ParseInteger(std::string_view text, std::int64_t min = INT64_MIN,
                                         std::int64_t max = INT64_MAX);

}  // namespace microstore::core
