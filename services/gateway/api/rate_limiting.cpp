#include "gateway/api/rate_limiting.hpp"

#include <string>

#include "platform/http/problem.hpp"
#include "platform/metrics/metrics.hpp"

namespace microstore::gateway::api {

RateLimiting::RateLimiting(std::int64_t per_second, std::int64_t burst)
    : rate_limited_(metrics::CounterFamily(metrics::Default(), "gateway_rate_limited_total",
                                           "Requests refused with 429 by the per-client rate limit")
                        .Add({})) {
  if (per_second > 0)
    limiter_.emplace(RateLimit{static_cast<double>(per_second), static_cast<double>(burst)});
}

std::optional<http::Response> RateLimiting::Admit(std::string_view client_key, const http::Request& request) {
  if (!limiter_) return std::nullopt;
  const auto decision = limiter_->Take(client_key, RateLimiter::Clock::now());
  if (decision.allowed) return std::nullopt;
  rate_limited_.Increment();
  const std::string seconds = std::to_string(decision.retry_after.count());
  http::Response response =
      http::Problem(429, "rate-limited", "too many requests; retry in " + seconds + " s", &request);
  response.headers.Set("Retry-After", seconds);
  return response;
}

}  // namespace microstore::gateway::api
