#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// UTF-8 helpers for validating untrusted text.
namespace microstore::catalog::utf8 {

// Decodes the code point starting at text[pos]; advances pos past it. nullopt (pos advanced by
// one byte) for an invalid sequence: a stray continuation byte, a truncated or overlong
// sequence, a surrogate, or a value above U+10FFFF.
std::optional<char32_t> Next(std::string_view text, std::size_t& pos);

bool IsValid(std::string_view text);

// Code points in valid UTF-8 text.
std::size_t CountCodePoints(std::string_view text);

// The text with every invalid byte replaced by kInvalidMarker, so a JSON parser that refuses
// invalid UTF-8 can still parse it and the validator can name the field that held the bad bytes
// (ContainsInvalidMarker). The marker is the noncharacter U+FDD0, which no real text needs.
inline constexpr std::string_view kInvalidMarker = "\xEF\xB7\x90";
std::string ReplaceInvalid(std::string_view text);
bool ContainsInvalidMarker(std::string_view text);

}  // namespace microstore::catalog::utf8
