#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace microstore::gateway {

struct RateLimit {
  double per_second = 50;  // > 0: tokens added per second
  double burst = 100;      // ≥ 1: the bucket's capacity, how many requests may come at once
};

// A token bucket per client key ("user:<subject>" or "addr:<ip>"). Pure: the caller passes the
// time, so tests drive the clock.
//
// Memory stays bounded by the number of clients seen recently: a bucket left alone long enough to
// have refilled completely is dropped, which changes nothing (a new bucket starts full too). Take
// sweeps for such buckets at most every `sweep_every`.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Decision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  // when refused: whole seconds until a token is back (≥ 1)
  };

  explicit RateLimiter(RateLimit limit, std::chrono::seconds sweep_every = std::chrono::seconds(10));

  // Takes one token from `key`'s bucket at `now`. `now` must not go backwards.
  Decision Take(std::string_view key, Clock::time_point now);

  // Drops the buckets that are full again at `now`; returns how many.
  std::size_t Evict(Clock::time_point now);

  std::size_t size() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  RateLimit limit_;
  Clock::duration refill_time_;  // from empty to full
  Clock::duration sweep_every_;
  Clock::time_point last_sweep_{};
  std::unordered_map<std::string, Bucket, Hash, std::equal_to<>> buckets_;
};

}  // namespace microstore::gateway
