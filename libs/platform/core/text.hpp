#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace microstore::core {

// `time` as RFC 3339 UTC with milliseconds (truncated), e.g. 2026-11-23T10:00:00.123Z.
std::string FormatRfc3339Utc(std::chrono::system_clock::time_point time);

// The longest prefix of `text` of at most `max_bytes` that does not split a UTF-8 sequence.
std::string TruncateUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace microstore::core
