// identity's typed events as outbox rows: the payloads and aggregates contracts/asyncapi.yaml
// promises, exactly.
#include "identity/infra/events.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace microstore::identity {
namespace {

using auth::Role;
using nlohmann::json;

const Timestamp kRegistered = Timestamp(std::chrono::milliseconds(1'800'000'000'123));

User Anna() {
  User user = NewUser("3f2504e0-4f89-41d3-9a0c-0305e82c3301", "anna@example.com",
                      {"Anna", "Petrova", "+79991234567", {Channel::kEmail, Channel::kSms}},
                      {Role::kCustomer}, kRegistered);
  return user;
}

TEST(Events, UserRegisteredCarriesTheWholeProfile) {
  const messaging::EventDraft event = ToDraft(UserRegistered{Anna()});
  EXPECT_EQ(event.type, "UserRegistered");
  EXPECT_EQ(event.aggregate, (messaging::AggregateRef{"user", Anna().id, 1, "ACTIVE"}));
  EXPECT_EQ(event.payload, json::parse(R"({"user_id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301",
      "email":"anna@example.com","first_name":"Anna","last_name":"Petrova","phone":"+79991234567",
      "channels":["EMAIL","SMS"],"roles":["CUSTOMER"],"registered_at":"2027-01-15T08:00:00.123Z"})"));
}

TEST(Events, NoPhoneIsNull) {
  User user = Anna();
  user.profile.phone.reset();
  EXPECT_TRUE(ToDraft(UserRegistered{user}).payload.at("phone").is_null());
  EXPECT_TRUE(ToDraft(CustomerProfileUpdated{user}).payload.at("phone").is_null());
}

TEST(Events, ProfileUpdatedCarriesContactDetailsAndVersion) {
  User user = Anna();
  user.version = 4;
  const messaging::EventDraft event = ToDraft(CustomerProfileUpdated{user});
  EXPECT_EQ(event.type, "CustomerProfileUpdated");
  EXPECT_EQ(event.aggregate.version, 4);
  EXPECT_EQ(event.payload, json::parse(R"({"user_id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301",
      "email":"anna@example.com","first_name":"Anna","last_name":"Petrova","phone":"+79991234567",
      "channels":["EMAIL","SMS"]})"));
}

TEST(Events, RolesDisabledEnabled) {
  User user = Anna();
  user.roles = {Role::kCustomer, Role::kAdmin};
  user.version = 2;
  const messaging::EventDraft roles = ToDraft(UserRolesChanged{user});
  EXPECT_EQ(roles.type, "UserRolesChanged");
  EXPECT_EQ(roles.payload, json::parse(R"({"user_id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301",
      "roles":["CUSTOMER","ADMIN"]})"));

  user.disabled = true;
  user.version = 3;
  const messaging::EventDraft disabled = ToDraft(UserDisabled{user});
  EXPECT_EQ(disabled.type, "UserDisabled");
  EXPECT_EQ(disabled.aggregate, (messaging::AggregateRef{"user", user.id, 3, "DISABLED"}));
  EXPECT_EQ(disabled.payload, json({{"user_id", user.id}}));

  user.disabled = false;
  user.version = 4;
  const messaging::EventDraft enabled = ToDraft(UserEnabled{user});
  EXPECT_EQ(enabled.type, "UserEnabled");
  EXPECT_EQ(enabled.aggregate, (messaging::AggregateRef{"user", user.id, 4, "ACTIVE"}));
}

TEST(Events, TokenRevokedNamesTokenExpiryAndReason) {
  const RevokedToken token{"9b2f6c1e-0000-4000-8000-000000000001", Anna().id,
                           Timestamp(std::chrono::seconds(1'800'000'900))};
  const messaging::EventDraft event = ToDraft(TokenRevoked{token, RevocationReason::kRefreshReuse});
  EXPECT_EQ(event.type, "TokenRevoked");
  EXPECT_EQ(event.aggregate, (messaging::AggregateRef{"token", token.token_id, 1, "REVOKED"}));
  EXPECT_EQ(event.payload, json::parse(R"({"token_id":"9b2f6c1e-0000-4000-8000-000000000001",
      "user_id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","expires_at":"2027-01-15T08:15:00.000Z",
      "reason":"refresh_reuse"})"));
  EXPECT_EQ(ToDraft(TokenRevoked{token, RevocationReason::kLogout}).payload.at("reason"), "logout");
  EXPECT_EQ(ToDraft(TokenRevoked{token, RevocationReason::kUserDisabled}).payload.at("reason"),
            "user_disabled");
}

// Disabling a user announces UserDisabled, then one TokenRevoked per token: drafts keep that order.
TEST(Events, DraftsKeepTheirOrder) {
  const RevokedToken first{"9b2f6c1e-0000-4000-8000-000000000001", Anna().id, kRegistered};
  const RevokedToken second{"9b2f6c1e-0000-4000-8000-000000000002", Anna().id, kRegistered};
  std::vector<Event> events{UserDisabled{Anna()}};
  for (auto& event : Revocations({first, second}, RevocationReason::kUserDisabled)) events.push_back(event);
  const auto drafts = ToDrafts(events);
  ASSERT_EQ(drafts.size(), 3u);
  EXPECT_EQ(drafts[0].type, "UserDisabled");
  EXPECT_EQ(drafts[1], ToDraft(TokenRevoked{first, RevocationReason::kUserDisabled}));
  EXPECT_EQ(drafts[2].aggregate.id, second.token_id);
}

}  // namespace
}  // namespace microstore::identity
