#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// UTF-8 helpers for validating untrusted text.
namespace microstore::catalog::utf8 {

// (Decoding and validity: core::NextCodePoint, core::IsValidUtf8 in core/text.hpp.)

// Code points in valid UTF-8 text.
std::size_t CountCodePoints(std::string_view text);

// The text with every invalid byte replaced by kInvalidMarker, so a JSON parser that refuses
// invalid UTF-8 can still parse it and the validator can name the field that held the bad bytes
// (ContainsInvalidMarker). The marker is the noncharacter U+FDD0, which no real text needs.
inline constexpr std::string_view kInvalidMarker = "\xEF\xB7\x90";
std::string ReplaceInvalid(std::string_view text);
bool ContainsInvalidMarker(std::string_view text);

}  // namespace microstore::catalog::utf8
