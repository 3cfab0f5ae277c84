#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace microstore::core {

// `time` as RFC 3339 UTC with milliseconds (truncated), e.g. 2026-11-23T10:00:00.123Z.
std::string FormatRfc3339Utc(std::chrono::system_clock::time_point time);

// Decodes the code point that starts at text[pos] and advances pos past it; nullopt (pos advanced
// by one byte) for an invalid sequence: a stray continuation byte, a truncated or overlong
// sequence, a surrogate, or a value above U+10FFFF. `pos` must be below text.size().
std::optional<char32_t> NextCodePoint(std::string_view text, std::size_t& pos);
bool IsValidUtf8(std::string_view text);
// The code points of `text`, or nullopt when it is not valid UTF-8.
std::optional<std::u32string> DecodeUtf8(std::string_view text);

// ASCII case-insensitive comparison (header names, file extensions); other bytes compare exactly.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix);

// The longest prefix of `text` of at most `max_bytes` that does not split a UTF-8 sequence.
std::string TruncateUtf8(std::string_view text, std::size_t max_bytes);

// A caller-chosen name (a JSON field, a query parameter) made safe to echo in an error: at most
// kMaxEchoedNameBytes of it, cut on a code point and marked "…" when cut; control characters and
// bytes that are not UTF-8 shown as '?'. Echoed names cannot forge log lines or bloat answers.
inline constexpr std::size_t kMaxEchoedNameBytes = 100;
std::string EchoedName(std::string_view name);

}  // namespace microstore::core
