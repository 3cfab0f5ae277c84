#include "platform/amqp/failure_headers.hpp"

#include "platform/core/text.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace microstore::amqp {
namespace {

bool BrokerManaged(std::string_view key) {
  return key == "x-death" || key.starts_with("x-first-death-") || key.starts_with("x-last-death-") ||
         key == "x-delivery-count";
}

}  // namespace

Headers FailedHeaders(const Headers& original, int attempts, std::string_view error,
                      std::optional<std::chrono::system_clock::time_point> dead_at) {
  Headers headers;
  for (const auto& [key, value] : original) {
    if (key == kAttemptsHeader || key == kErrorHeader || key == kDeadAtHeader || BrokerManaged(key)) continue;
    headers.emplace_back(key, value);
  }
  headers.emplace_back(kAttemptsHeader, std::to_string(attempts));
  headers.emplace_back(kErrorHeader, core::TruncateUtf8(error, kMaxErrorBytes));
  if (dead_at) headers.emplace_back(kDeadAtHeader, core::FormatRfc3339Utc(*dead_at));
  return headers;
}

Headers ReplayHeaders(const Headers& original, std::string_view replay) {
  Headers headers;
  for (const auto& [key, value] : original) {
    if (key == kAttemptsHeader || key == kReplayHeader || BrokerManaged(key)) continue;
    headers.emplace_back(key, value);
  }
  headers.emplace_back(kAttemptsHeader, "0");
  if (!replay.empty()) headers.emplace_back(kReplayHeader, std::string(replay));
  return headers;
}

}  // namespace microstore::amqp
