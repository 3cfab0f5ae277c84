// identity's revocation events: their payload readers (api/json.hpp) and the handlers they are
// registered with (api/events.hpp).
#include <gtest/gtest.h>

#include "gateway/api/events.hpp"
#include "gateway/api/json.hpp"
#include "platform/messaging/inbox.hpp"

namespace microstore::gateway::api {
namespace {

messaging::Envelope Event(std::string type, std::string aggregate_type, std::int64_t version,
                          nlohmann::json payload) {
  return messaging::MakeEvent(std::move(type), 1, {std::move(aggregate_type), "agg-1", version, "X"},
                              std::move(payload), {}, "identity", "identity-1",
                              "5f1d7c9e-1111-4222-8333-944455556666", WallClock::now());
}

TEST(EventHandlers, AreIdentitysThreeEvents) {
  const auto subscriptions = EventHandlers();
  ASSERT_EQ(subscriptions.size(), 3u);
  for (const auto& subscription : subscriptions) EXPECT_EQ(subscription.producer, "identity");
  EXPECT_EQ(subscriptions[0].type, "TokenRevoked");
  EXPECT_EQ(subscriptions[1].type, "UserDisabled");
  EXPECT_EQ(subscriptions[2].type, "UserEnabled");
}

TEST(ReadTokenRevoked, ReadsThePayload) {
  const RevokedToken token = ReadTokenRevoked(Event("TokenRevoked", "token", 1,
                                                    {{"token_id", "jti-1"},
                                                     {"user_id", "user-1"},
                                                     {"expires_at", "2026-11-23T10:00:00.000Z"},
                                                     {"reason", "logout"}}));
  EXPECT_EQ(token.token_id, "jti-1");
  EXPECT_EQ(token.user_id, "user-1");
  EXPECT_EQ(token.expires_at, ParseRfc3339("2026-11-23T10:00:00Z"));
  EXPECT_EQ(token.reason, "logout");
}

TEST(ReadTokenRevoked, RefusesUnusablePayloads) {
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
    EXPECT_THROW(ReadTokenRevoked(Event("TokenRevoked", "token", 1, payload)), messaging::PoisonEvent)
        << payload.dump();
  }
  EXPECT_THROW(ReadTokenRevoked(Event("TokenRevoked", "user", 1, good)), messaging::PoisonEvent);
  EXPECT_NO_THROW(ReadTokenRevoked(Event("TokenRevoked", "token", 1, good)));
}

TEST(ReadUserDisabledAndEnabled, WithTheAggregateVersion) {
  const UserState disabled = ReadUserDisabled(Event("UserDisabled", "user", 4, {{"user_id", "user-1"}}));
  EXPECT_EQ(disabled.user_id, "user-1");
  EXPECT_EQ(disabled.version, 4);
  EXPECT_TRUE(disabled.disabled);
  const UserState enabled = ReadUserEnabled(Event("UserEnabled", "user", 5, {{"user_id", "user-1"}}));
  EXPECT_EQ(enabled.version, 5);
  EXPECT_FALSE(enabled.disabled);
}

TEST(ReadUserDisabledAndEnabled, RefuseUnusableEvents) {
  for (const auto read : {ReadUserDisabled, ReadUserEnabled}) {
    EXPECT_THROW(read(Event("UserDisabled", "user", 1, {})), messaging::PoisonEvent);
    EXPECT_THROW(read(Event("UserDisabled", "user", 1, {{"user_id", 12}})), messaging::PoisonEvent);
    EXPECT_THROW(read(Event("UserDisabled", "token", 1, {{"user_id", "u"}})), messaging::PoisonEvent);
  }
}

}  // namespace
}  // namespace microstore::gateway::api
