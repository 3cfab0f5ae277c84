#include "gateway/domain/rate_limiter.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace microstore::gateway {

RateLimiter::RateLimiter(RateLimit limit, std::chrono::seconds sweep_every)
    : limit_(limit),
      refill_time_(std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(limit.burst / limit.per_second))),
      sweep_every_(sweep_every) {
  assert(limit.per_second > 0 && limit.burst >= 1);
}

RateLimiter::Decision RateLimiter::Take(std::string_view key, Clock::time_point now) {
  if (now - last_sweep_ >= sweep_every_) {
    Evict(now);
    last_sweep_ = now;
  }
  auto found = buckets_.find(key);
  if (found == buckets_.end()) {
    found = buckets_.emplace(std::string(key), Bucket{limit_.burst, now}).first;
  }
  Bucket& bucket = found->second;
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.tokens = std::min(limit_.burst, bucket.tokens + std::max(0.0, elapsed) * limit_.per_second);
  bucket.updated = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return {};
  }
  const double wait = (1 - bucket.tokens) / limit_.per_second;
  // A little below a whole second of floating-point noise must not round up to the next one.
  const auto seconds = static_cast<std::int64_t>(std::ceil(wait - 1e-9));
  return {.allowed = false, .retry_after = std::chrono::seconds(std::max<std::int64_t>(1, seconds))};
}

std::size_t RateLimiter::Evict(Clock::time_point now) {
  return std::erase_if(buckets_,
                       [&](const auto& entry) { return now - entry.second.updated >= refill_time_; });
}

}  // namespace microstore::gateway
