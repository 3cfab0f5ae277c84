#include "gateway/infra/revocation_events.hpp"

#include <gtest/gtest.h>

namespace microstore::gateway {
namespace {

messaging::Envelope Event(std::string type, std::string aggregate_type, std::int64_t version,
                          nlohmann::json payload) {
  return messaging::MakeEvent(std::move(type), 1, {std::move(aggregate_type), "agg-1", version, "X"},
                              std::move(payload), {}, "identity", "identity-1",
                              "5f1d7c9e-1111-4222-8333-944455556666", WallClock::now());
}

TEST(RevocationSubscriptions, AreIdentitysThreeEvents) {
  const auto subscriptions = RevocationSubscriptions();
  ASSERT_EQ(subscriptions.size(), 3u);
  for (const auto& subscription : subscriptions) EXPECT_EQ(subscription.producer, "identity");
  EXPECT_EQ(subscriptions[0].type, "TokenRevoked");
  EXPECT_EQ(subscriptions[1].type, "UserDisabled");
  EXPECT_EQ(subscriptions[2].type, "UserEnabled");
}

TEST(ParseTokenRevoked, ReadsThePayload) {
  const auto parsed = ParseTokenRevoked(Event("TokenRevoked", "token", 1,
                                              {{"token_id", "jti-1"},
                                               {"user_id", "user-1"},
                                               {"expires_at", "2026-11-23T10:00:00.000Z"},
                                               {"reason", "logout"}}));
  ASSERT_TRUE(std::holds_alternative<RevokedToken>(parsed)) << std::get<std::string>(parsed);
  const auto& token = std::get<RevokedToken>(parsed);
  EXPECT_EQ(token.token_id, "jti-1");
  EXPECT_EQ(token.user_id, "user-1");
  EXPECT_EQ(token.expires_at, ParseRfc3339("2026-11-23T10:00:00Z"));
  EXPECT_EQ(token.reason, "logout");
}

TEST(ParseTokenRevoked, RefusesUnusablePayloads) {
  const nlohmann::json good = {
      {"token_id", "jti-1"}, {"user_id", "user-1"}, {"expires_at", "2026-11-23T10:00:00Z"}};
  auto without = [&](const char* field) {
    auto payload = good;
    payload.erase(field);
    return payload;
  };
  auto with = [&](const char* field, nlohmann::json value) {
    auto payload = good;
    payload[field] = std::move(value);
    return payload;
  };
  for (const auto& payload :
       {without("token_id"), without("user_id"), without("expires_at"), with("token_id", ""),
        with("token_id", 42), with("user_id", nullptr), with("expires_at", "tomorrow"),
        with("expires_at", 1764000000), with("reason", 7), with("token_id", std::string(257, 'x'))}) {
    EXPECT_TRUE(
        std::holds_alternative<std::string>(ParseTokenRevoked(Event("TokenRevoked", "token", 1, payload))))
        << payload.dump();
  }
  EXPECT_TRUE(std::holds_alternative<std::string>(ParseTokenRevoked(Event("TokenRevoked", "user", 1, good))));
  EXPECT_TRUE(
      std::holds_alternative<RevokedToken>(ParseTokenRevoked(Event("TokenRevoked", "token", 1, good))));
}

TEST(ParseUserStateChange, DisabledAndEnabledWithTheAggregateVersion) {
  const auto disabled = ParseUserStateChange(Event("UserDisabled", "user", 4, {{"user_id", "user-1"}}));
  ASSERT_TRUE(std::holds_alternative<UserState>(disabled));
  EXPECT_EQ(std::get<UserState>(disabled).user_id, "user-1");
  EXPECT_EQ(std::get<UserState>(disabled).version, 4);
  EXPECT_TRUE(std::get<UserState>(disabled).disabled);
  const auto enabled = ParseUserStateChange(Event("UserEnabled", "user", 5, {{"user_id", "user-1"}}));
  ASSERT_TRUE(std::holds_alternative<UserState>(enabled));
  EXPECT_EQ(std::get<UserState>(enabled).version, 5);
  EXPECT_FALSE(std::get<UserState>(enabled).disabled);
}

TEST(ParseUserStateChange, RefusesUnusableEvents) {
  EXPECT_TRUE(
      std::holds_alternative<std::string>(ParseUserStateChange(Event("UserDisabled", "user", 1, {}))));
  EXPECT_TRUE(std::holds_alternative<std::string>(
      ParseUserStateChange(Event("UserDisabled", "user", 1, {{"user_id", 12}}))));
  EXPECT_TRUE(std::holds_alternative<std::string>(
      ParseUserStateChange(Event("UserDisabled", "token", 1, {{"user_id", "u"}}))));
  EXPECT_TRUE(std::holds_alternative<std::string>(
      ParseUserStateChange(Event("UserRegistered", "user", 1, {{"user_id", "u"}}))));
}

}  // namespace
}  // namespace microstore::gateway
