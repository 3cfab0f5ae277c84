#include "amqp/failure_headers.hpp"

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
  headers.emplace_back(kErrorHeader, TruncateUtf8(error, kMaxErrorBytes));
  if (dead_at) headers.emplace_back(kDeadAtHeader, Rfc3339Utc(*dead_at));
  return headers;
}

Headers ReplayHeaders(const Headers& original) {
  Headers headers;
  for (const auto& [key, value] : original) {
    if (key == kAttemptsHeader || BrokerManaged(key)) continue;
    headers.emplace_back(key, value);
  }
  headers.emplace_back(kAttemptsHeader, "0");
  return headers;
}

std::string TruncateUtf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

std::string Rfc3339Utc(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  const std::time_t t = seconds.count();
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char buffer[40];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis));
  return std::string(buffer, length) + fraction;
}

}  // namespace microstore::amqp
