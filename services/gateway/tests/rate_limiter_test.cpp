#include "gateway/domain/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace microstore::gateway {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;
const Clock::time_point kStart = Clock::time_point() + 1000h;

TEST(RateLimiter, AllowsABurstThenRefuses) {
  RateLimiter limiter({.per_second = 10, .burst = 5});
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Take("addr:1", kStart).allowed) << i;
  const auto refused = limiter.Take("addr:1", kStart);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1s);
}

TEST(RateLimiter, RefillsAtTheRate) {
  RateLimiter limiter({.per_second = 10, .burst = 2});
  EXPECT_TRUE(limiter.Take("k", kStart).allowed);
  EXPECT_TRUE(limiter.Take("k", kStart).allowed);
  EXPECT_FALSE(limiter.Take("k", kStart).allowed);
  EXPECT_FALSE(limiter.Take("k", kStart + 90ms).allowed);   // 0.9 of a token
  EXPECT_TRUE(limiter.Take("k", kStart + 150ms).allowed);   // 1.5 tokens
  EXPECT_FALSE(limiter.Take("k", kStart + 150ms).allowed);  // 0.5 left
  // Refilling stops at the burst size however long the bucket rests.
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(limiter.Take("k", kStart + 1h).allowed);
  EXPECT_FALSE(limiter.Take("k", kStart + 1h).allowed);
}

TEST(RateLimiter, RetryAfterIsWholeSecondsRoundedUp) {
  RateLimiter slow({.per_second = 0.4, .burst = 1});  // a token every 2.5 s
  EXPECT_TRUE(slow.Take("k", kStart).allowed);
  EXPECT_EQ(slow.Take("k", kStart).retry_after, 3s);
  EXPECT_EQ(slow.Take("k", kStart + 1s).retry_after, 2s);      // 1.5 s left
  EXPECT_EQ(slow.Take("k", kStart + 1500ms).retry_after, 1s);  // exactly 1 s left
  EXPECT_EQ(slow.Take("k", kStart + 2400ms).retry_after, 1s);  // 0.1 s left: at least 1
  RateLimiter one({.per_second = 1, .burst = 1});
  EXPECT_TRUE(one.Take("k", kStart).allowed);
  EXPECT_EQ(one.Take("k", kStart).retry_after, 1s);
}

TEST(RateLimiter, KeysHaveTheirOwnBuckets) {
  RateLimiter limiter({.per_second = 1, .burst = 1});
  EXPECT_TRUE(limiter.Take("user:a", kStart).allowed);
  EXPECT_FALSE(limiter.Take("user:a", kStart).allowed);
  EXPECT_TRUE(limiter.Take("user:b", kStart).allowed);
  EXPECT_TRUE(limiter.Take("addr:10.0.0.1", kStart).allowed);
  EXPECT_EQ(limiter.size(), 3u);
}

TEST(RateLimiter, EvictsOnlyBucketsThatAreFullAgain) {
  RateLimiter limiter({.per_second = 10, .burst = 20});  // empty to full in 2 s
  EXPECT_TRUE(limiter.Take("old", kStart).allowed);
  EXPECT_TRUE(limiter.Take("recent", kStart + 1500ms).allowed);
  EXPECT_EQ(limiter.Evict(kStart + 1999ms), 0u);
  EXPECT_EQ(limiter.Evict(kStart + 2s), 1u);
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_EQ(limiter.Evict(kStart + 3500ms), 1u);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, EvictionChangesNoDecision) {
  RateLimiter limiter({.per_second = 1, .burst = 2});
  EXPECT_TRUE(limiter.Take("k", kStart).allowed);
  EXPECT_TRUE(limiter.Take("k", kStart).allowed);
  EXPECT_EQ(limiter.Evict(kStart + 2s), 1u);
  EXPECT_TRUE(limiter.Take("k", kStart + 2s).allowed);
  EXPECT_TRUE(limiter.Take("k", kStart + 2s).allowed);
  EXPECT_FALSE(limiter.Take("k", kStart + 2s).allowed);
}

TEST(RateLimiter, TakeSweepsIdleBucketsPeriodically) {
  RateLimiter limiter({.per_second = 100, .burst = 1}, 10s);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.Take("addr:" + std::to_string(i), kStart).allowed);
  EXPECT_EQ(limiter.size(), 100u);
  EXPECT_TRUE(limiter.Take("addr:new", kStart + 5s).allowed);  // before the next sweep is due
  EXPECT_EQ(limiter.size(), 101u);
  EXPECT_TRUE(limiter.Take("addr:newer", kStart + 11s).allowed);  // sweeps the idle ones first
  EXPECT_EQ(limiter.size(), 1u);
}

}  // namespace
}  // namespace microstore::gateway
