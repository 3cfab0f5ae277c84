#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "gateway/domain/rate_limiter.hpp"
#include "platform/http/message.hpp"
#include "platform/metrics/metrics.hpp"

namespace microstore::gateway::api {

// The per-client rate limit: a token bucket per client key (api/authentication.hpp), refilled at
// `per_second` up to `burst`. Used on the event loop only.
//
// Metric (metrics::Default()): gateway_rate_limited_total, requests refused with 429.
class RateLimiting {
 public:
  // `per_second` 0 turns the limit off.
  RateLimiting(std::int64_t per_second, std::int64_t burst);

  // nullopt lets the request in; else the 429 rate-limited with Retry-After (whole seconds until
  // the client's bucket holds a token again) that refuses it.
  std::optional<http::Response> Admit(std::string_view client_key, const http::Request& request);

 private:
  std::optional<RateLimiter> limiter_;
  prometheus::Counter& rate_limited_;
};

}  // namespace microstore::gateway::api
