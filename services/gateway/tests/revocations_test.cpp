#include "gateway/domain/revocations.hpp"

#include <gtest/gtest.h>

namespace microstore::gateway {
namespace {

using namespace std::chrono_literals;
const WallClock::time_point kNow = WallClock::time_point() + 1'000'000h;

TEST(Supersedes, OnlyAHigherVersion) {
  EXPECT_TRUE(Supersedes(1, std::nullopt));
  EXPECT_TRUE(Supersedes(3, 2));
  EXPECT_FALSE(Supersedes(2, 2));
  EXPECT_FALSE(Supersedes(1, 2));
}

TEST(RevocationCache, RefusesRevokedTokensOnly) {
  RevocationCache cache;
  cache.RevokeToken("jti-1", kNow + 10min);
  EXPECT_EQ(cache.Check("user-1", "jti-1"), Refusal::kTokenRevoked);
  EXPECT_EQ(cache.Check("user-1", "jti-2"), Refusal::kNone);
  EXPECT_EQ(cache.Check("user-1", ""), Refusal::kNone);
  EXPECT_EQ(cache.revoked_tokens(), 1u);
}

TEST(RevocationCache, DisableThenEnable) {
  RevocationCache cache;
  EXPECT_TRUE(cache.ApplyUser({"user-1", 2, true}));
  EXPECT_EQ(cache.Check("user-1", "any"), Refusal::kUserDisabled);
  EXPECT_EQ(cache.Check("user-2", "any"), Refusal::kNone);
  EXPECT_EQ(cache.disabled_users(), 1u);
  EXPECT_TRUE(cache.ApplyUser({"user-1", 3, false}));
  EXPECT_EQ(cache.Check("user-1", "any"), Refusal::kNone);
  EXPECT_EQ(cache.disabled_users(), 0u);
}

TEST(RevocationCache, AStaleDisableAfterEnableIsDropped) {
  RevocationCache cache;
  EXPECT_TRUE(cache.ApplyUser({"user-1", 3, false}));  // enable at version 3 arrives first
  EXPECT_FALSE(cache.ApplyUser({"user-1", 2, true}));  // the disable it undid, late
  EXPECT_EQ(cache.Check("user-1", "any"), Refusal::kNone);
  EXPECT_FALSE(cache.ApplyUser({"user-1", 3, true}));  // same version: a duplicate, not news
  EXPECT_EQ(cache.Check("user-1", "any"), Refusal::kNone);
  EXPECT_TRUE(cache.ApplyUser({"user-1", 4, true}));
  EXPECT_EQ(cache.Check("user-1", "any"), Refusal::kUserDisabled);
  EXPECT_FALSE(cache.ApplyUser({"user-1", 1, false}));
  EXPECT_EQ(cache.Check("user-1", "any"), Refusal::kUserDisabled);
  EXPECT_EQ(cache.disabled_users(), 1u);
}

TEST(RevocationCache, ARepeatedDisableCountsOnce) {
  RevocationCache cache;
  EXPECT_TRUE(cache.ApplyUser({"user-1", 1, true}));
  EXPECT_TRUE(cache.ApplyUser({"user-1", 2, true}));
  EXPECT_EQ(cache.disabled_users(), 1u);
}

TEST(RevocationCache, ARevokedTokenWinsOverAnEnabledUser) {
  RevocationCache cache;
  cache.ApplyUser({"user-1", 5, false});
  cache.RevokeToken("jti-1", kNow + 1min);
  EXPECT_EQ(cache.Check("user-1", "jti-1"), Refusal::kTokenRevoked);
}

TEST(RevocationCache, ForgetsExpiredTokens) {
  RevocationCache cache;
  cache.RevokeToken("old", kNow - 1s);
  cache.RevokeToken("live", kNow + 1s);
  EXPECT_EQ(cache.ForgetExpired(kNow), 1u);
  EXPECT_EQ(cache.Check("u", "old"), Refusal::kNone);
  EXPECT_EQ(cache.Check("u", "live"), Refusal::kTokenRevoked);
  cache.Clear();
  EXPECT_EQ(cache.revoked_tokens(), 0u);
}

TEST(ParseRfc3339, UtcAndOffsets) {
  const auto base = WallClock::time_point(std::chrono::sys_days(std::chrono::year(2026) / 11 / 23) + 10h);
  EXPECT_EQ(ParseRfc3339("2026-11-23T10:00:00Z"), base);
  EXPECT_EQ(ParseRfc3339("2026-11-23T10:00:00.123Z"), base + 123ms);
  EXPECT_EQ(ParseRfc3339("2026-11-23T10:00:00.5Z"), base + 500ms);
  EXPECT_EQ(ParseRfc3339("2026-11-23T13:00:00+03:00"), base);
  EXPECT_EQ(ParseRfc3339("2026-11-23T09:30:00.000-00:30"), base);
  EXPECT_EQ(ParseRfc3339("2026-11-23t10:00:00z"), base);
}

// Found by tests/fuzz (events harness): a year outside 1678..2262 overflowed the nanosecond
// time point (undefined behaviour under UBSan) in identity's TokenRevoked expires_at.
TEST(ParseRfc3339, RefusesTimesAWallClockCannotHold) {
  EXPECT_EQ(ParseRfc3339("1013-11-23T10:15:00+03:00"), std::nullopt);
  EXPECT_EQ(ParseRfc3339("0000-01-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseRfc3339("9999-12-31T23:59:59.999999999Z"), std::nullopt);
  EXPECT_EQ(ParseRfc3339("2262-04-12T00:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseRfc3339("1677-09-21T00:00:00Z"), std::nullopt);
  // The edges of what it holds are still read.
  EXPECT_NE(ParseRfc3339("2262-04-11T00:00:00.999999999Z"), std::nullopt);
  EXPECT_NE(ParseRfc3339("1677-09-22T00:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00.5-00:00"), WallClock::time_point(500ms));
}

TEST(ParseRfc3339, RefusesOtherText) {
  for (const char* text :
       {"", "2026-11-23", "2026-11-23 10:00:00Z", "2026-11-23T10:00:00", "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T10:00:00.Z",
        "2026-11-23T10:00:00.1234567891Z", "2026-11-23T10:00:00+0300", "2026-11-23T10:00:00Zjunk",
        "1764000000", "2026-11-23T1O:00:00Z"}) {
    EXPECT_EQ(ParseRfc3339(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace microstore::gateway
