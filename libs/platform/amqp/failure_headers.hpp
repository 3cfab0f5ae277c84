#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "platform/amqp/messages.hpp"

// The headers a failed message carries into the retry and dead-letter queues (what an operator
// sees in the dead-letter queue), and how they are rewritten.
namespace microstore::amqp {

inline constexpr const char* kAttemptsHeader = "x-microstore-attempts";  // handling attempts so far
inline constexpr const char* kErrorHeader = "x-microstore-error";        // the last failure
inline constexpr const char* kDeadAtHeader = "x-microstore-dead-at";  // RFC 3339 UTC, dead-letter queue only
// The replay that sent the message back (QueueAdmin::Move's mark). FailedHeaders keeps it, so a
// replayed message that fails again returns to the dead-letter queue still naming that replay.
inline constexpr const char* kReplayHeader = "x-microstore-replay";
inline constexpr std::size_t kMaxErrorBytes = 1024;

// `original` without the headers above and without those the broker manages (x-death,
// x-first-death-*, x-last-death-*, x-delivery-count), plus attempts, the error (cut to
// kMaxErrorBytes on a UTF-8 boundary) and, when given, the time the message died.
Headers FailedHeaders(const Headers& original, int attempts, std::string_view error,
                      std::optional<std::chrono::system_clock::time_point> dead_at);

// `original` with the attempts reset to 0 and kReplayHeader set to `replay` (when not empty), for a
// message an operator sends back to be handled again.
Headers ReplayHeaders(const Headers& original, std::string_view replay);

}  // namespace microstore::amqp
