#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Small readers of JSON values shared by request bodies, event payloads and cursors.
namespace microstore::wire {

// The JSON integer `value` when it lies within [min, max]. nlohmann holds non-negative integers
// as unsigned and negative ones as signed; both are compared without overflow. A number with a
// fraction or an exponent (2.0, 1e3) is no integer here: clients send money and counts exactly.
std::optional<std::int64_t> Integer(const nlohmann::json& value, std::int64_t min = INT64_MIN,
                                    std::int64_t max = INT64_MAX);

// Opaque keyset-pagination cursors: a small JSON value (the last row's sort key and id), as
// base64url. DecodeCursor answers nullopt for text longer than `max_bytes`, not base64url, not
// JSON (read by ReadJson), or not exactly what EncodeCursor writes for the value it holds (the
// same position spelled otherwise — padding, spaces, another key order, escapes — is not a
// cursor a listing wrote); the caller then checks the value's shape and refuses the cursor with
// "is not a cursor of this listing" (http::QueryReader::Cursor).
std::string EncodeCursor(const nlohmann::json& position);
std::optional<nlohmann::json> DecodeCursor(std::string_view text, std::size_t max_bytes = 2048);

}  // namespace microstore::wire
