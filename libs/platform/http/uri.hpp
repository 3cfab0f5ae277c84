#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace microstore::http {

// Decodes %XX escapes (and '+' as space when `plus_is_space`, as in query strings).
// nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// application/json, application/problem+json, anything/+json, with or without parameters.
bool IsJsonMediaType(std::string_view content_type);

}  // namespace microstore::http
