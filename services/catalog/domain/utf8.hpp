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

}  // namespace microstore::catalog::utf8
