#include "identity/domain/rules.hpp"

#include <gtest/gtest.h>

namespace microstore::identity {
namespace {

using auth::Role;
using auth::RoleSet;
using namespace std::chrono_literals;

const Timestamp kNow = Timestamp(std::chrono::milliseconds(1'800'000'000'000));

User UserWith(std::string id, RoleSet roles, bool disabled = false) {
  User user =
      NewUser(std::move(id), "u@example.com", {"A", "B", std::nullopt, {Channel::kEmail}}, roles, kNow);
  user.disabled = disabled;
  return user;
}

TEST(MayAdminister, NeedsAdminAndEnabled) {
  EXPECT_TRUE(MayAdminister(UserWith("a", {Role::kAdmin})));
  EXPECT_FALSE(MayAdminister(UserWith("a", {Role::kAdmin}, true)));
  EXPECT_FALSE(MayAdminister(UserWith("a", {Role::kOperator, Role::kCustomer})));
}

std::optional<Problem> RefusedWith(const UserDecision& decision) {
  if (const auto* refusal = std::get_if<Refusal>(&decision)) return refusal->problem;
  return std::nullopt;
}

bool IsChanged(const UserDecision& decision) {
  return std::holds_alternative<core::Changed<User, Event>>(decision);
}

// The user as the decision leaves it: the changed one, or `before` when nothing changes.
User After(const UserDecision& decision, const User& before) {
  if (const auto* changed = std::get_if<core::Changed<User, Event>>(&decision)) return changed->next;
  return before;
}

std::vector<Event> EventsOf(const UserDecision& decision) {
  if (const auto* changed = std::get_if<core::Changed<User, Event>>(&decision)) return changed->events;
  return {};
}

TEST(DecideRoleChange, GrantIsIdempotent) {
  const User user = UserWith("u", {Role::kCustomer});
  const UserDecision grant = DecideRoleChange(user, "admin", Role::kOperator, RoleChange::kGrant, kNow + 1s);
  EXPECT_FALSE(RefusedWith(grant));
  EXPECT_TRUE(IsChanged(grant));
  EXPECT_EQ(After(grant, user).roles, (RoleSet{Role::kCustomer, Role::kOperator}));
  User granted = Touched(user, kNow + 1s);
  granted.roles.Add(Role::kOperator);
  EXPECT_EQ(After(grant, user), granted);
  EXPECT_EQ(EventsOf(grant), std::vector<Event>{UserRolesChanged{After(grant, user)}});
  const UserDecision again = DecideRoleChange(user, "admin", Role::kCustomer, RoleChange::kGrant, kNow + 1s);
  EXPECT_FALSE(IsChanged(again));
  EXPECT_EQ(After(again, user).roles, RoleSet{Role::kCustomer});
  EXPECT_TRUE(EventsOf(again).empty());
}

TEST(DecideRoleChange, RevokeIsIdempotent) {
  const User user = UserWith("u", {Role::kCustomer, Role::kAdmin});
  const UserDecision revoke = DecideRoleChange(user, "admin", Role::kAdmin, RoleChange::kRevoke, kNow);
  EXPECT_TRUE(IsChanged(revoke));
  EXPECT_EQ(After(revoke, user).roles, RoleSet{Role::kCustomer});
  EXPECT_EQ(EventsOf(revoke), std::vector<Event>{UserRolesChanged{After(revoke, user)}});
  const UserDecision absent = DecideRoleChange(user, "admin", Role::kOperator, RoleChange::kRevoke, kNow);
  EXPECT_FALSE(IsChanged(absent));
  EXPECT_FALSE(RefusedWith(absent));
}

TEST(DecideRoleChange, AnAdminCannotDropTheirOwnAdminRole) {
  const User self = UserWith("admin", {Role::kAdmin, Role::kOperator});
  const UserDecision refused = DecideRoleChange(self, "admin", Role::kAdmin, RoleChange::kRevoke, kNow);
  EXPECT_EQ(RefusedWith(refused), Problem::kCannotDemoteSelf);
  EXPECT_FALSE(IsChanged(refused));
  // Their other roles are theirs to drop.
  const UserDecision other = DecideRoleChange(self, "admin", Role::kOperator, RoleChange::kRevoke, kNow);
  EXPECT_FALSE(RefusedWith(other));
  EXPECT_TRUE(IsChanged(other));
  EXPECT_EQ(After(other, self).roles, RoleSet{Role::kAdmin});
}

TEST(DecideDisabled, IsIdempotentAndRefusesSelf) {
  const User active = UserWith("u", {Role::kCustomer});
  EXPECT_TRUE(IsChanged(DecideDisabled(active, "admin", true, kNow)));
  EXPECT_FALSE(IsChanged(DecideDisabled(active, "admin", false, kNow)));
  const User disabled = UserWith("u", {Role::kCustomer}, true);
  EXPECT_FALSE(IsChanged(DecideDisabled(disabled, "admin", true, kNow)));
  EXPECT_TRUE(IsChanged(DecideDisabled(disabled, "admin", false, kNow)));
  const UserDecision self = DecideDisabled(UserWith("admin", {Role::kAdmin}), "admin", true, kNow);
  EXPECT_EQ(RefusedWith(self), Problem::kCannotDisableSelf);
  EXPECT_FALSE(IsChanged(self));
}

TEST(DecideDisabled, AnnouncesTheNewState) {
  const User active = UserWith("u", {Role::kCustomer});
  const UserDecision disable = DecideDisabled(active, "admin", true, kNow + 1s);
  const User after = After(disable, active);
  EXPECT_TRUE(after.disabled);
  EXPECT_EQ(after.version, active.version + 1);
  EXPECT_EQ(after.updated_at, kNow + 1s);
  EXPECT_EQ(EventsOf(disable), std::vector<Event>{UserDisabled{after}});
  const UserDecision enable = DecideDisabled(after, "admin", false, kNow + 2s);
  EXPECT_EQ(EventsOf(enable), std::vector<Event>{UserEnabled{After(enable, after)}});
}

TEST(DecideProfileUpdate, ChangesAnnouncesOrRefuses) {
  const User user = UserWith("u", {Role::kCustomer});
  ProfilePatch patch;
  patch.last_name = "Ivanova";
  const UserDecision changed = DecideProfileUpdate(user, patch, kNow + 1s);
  ASSERT_TRUE(IsChanged(changed));
  const User after = After(changed, user);
  EXPECT_EQ(after.profile.last_name, "Ivanova");
  EXPECT_EQ(after.version, user.version + 1);
  EXPECT_EQ(EventsOf(changed), std::vector<Event>{CustomerProfileUpdated{after}});

  patch.last_name = "B";  // what it already is
  EXPECT_TRUE(std::holds_alternative<core::Unchanged>(DecideProfileUpdate(user, patch, kNow + 1s)));

  patch.channels = std::vector<std::string>{"SMS"};  // no phone
  const UserDecision refused = DecideProfileUpdate(user, patch, kNow + 1s);
  ASSERT_EQ(RefusedWith(refused), Problem::kValidation);
  EXPECT_EQ(std::get<Refusal>(refused).fields, (core::FieldErrors{{"channels", "SMS needs a phone number"}}));
}

TEST(Touched, BumpsVersionAndUpdatedAt) {
  const User before = UserWith("u", {Role::kCustomer});
  const User after = Touched(before, kNow + 5s);
  EXPECT_EQ(after.version, before.version + 1);
  EXPECT_EQ(after.updated_at, kNow + 5s);
  EXPECT_EQ(after.created_at, before.created_at);
}

StoredRefreshToken Live() { return {false, false, false, kNow + 1h}; }

TEST(DecideRefresh, RotatesALiveToken) { EXPECT_EQ(DecideRefresh(Live(), kNow), RefreshDecision::kRotate); }

TEST(DecideRefresh, UnknownOrExpiredIsInvalid) {
  EXPECT_EQ(DecideRefresh(std::nullopt, kNow), RefreshDecision::kInvalid);
  auto token = Live();
  token.expires_at = kNow;
  EXPECT_EQ(DecideRefresh(token, kNow), RefreshDecision::kInvalid);
  EXPECT_EQ(DecideRefresh(token, kNow - 1ms), RefreshDecision::kRotate);
}

TEST(DecideRefresh, AUsedTokenIsReuseEvenWhenExpired) {
  auto token = Live();
  token.used = true;
  EXPECT_EQ(DecideRefresh(token, kNow), RefreshDecision::kReuseDetected);
  token.expires_at = kNow - 1h;
  EXPECT_EQ(DecideRefresh(token, kNow), RefreshDecision::kReuseDetected);
}

TEST(DecideRefresh, ARevokedFamilyRefusesEvenItsNewestToken) {
  auto newest = Live();
  newest.family_revoked = true;
  EXPECT_EQ(DecideRefresh(newest, kNow), RefreshDecision::kInvalid);
  auto rotated = newest;
  rotated.used = true;  // no second revocation for a family already ended
  EXPECT_EQ(DecideRefresh(rotated, kNow), RefreshDecision::kInvalid);
}

TEST(DecideRefresh, ADisabledUserIsToldSo) {
  auto token = Live();
  token.user_disabled = true;
  token.family_revoked = true;  // disabling revoked it, but 403 says why
  EXPECT_EQ(DecideRefresh(token, kNow), RefreshDecision::kUserDisabled);
}

TEST(DecideAccess, LetsAnEnabledUserThrough) {
  const TokenHolder holder{false, false, {Role::kCustomer}};
  EXPECT_EQ(DecideAccess(holder, auth::Access::Authenticated()), std::nullopt);
  EXPECT_EQ(DecideAccess(holder, auth::Access::AnyOf({Role::kCustomer})), std::nullopt);
}

TEST(DecideAccess, RefusesRevokedDisabledUnknownAndDemoted) {
  const auto problem = [](const std::optional<Refusal>& refusal) -> std::optional<Problem> {
    if (!refusal) return std::nullopt;
    return refusal->problem;
  };
  EXPECT_EQ(problem(DecideAccess(std::nullopt, auth::Access::Authenticated())), Problem::kUnknownSubject);
  EXPECT_EQ(problem(DecideAccess(TokenHolder{false, true, {Role::kAdmin}}, auth::Access::Authenticated())),
            Problem::kTokenRevoked);
  EXPECT_EQ(problem(DecideAccess(TokenHolder{true, false, {Role::kAdmin}}, auth::Access::Authenticated())),
            Problem::kTokenOfDisabledUser);
  // The token may still say ADMIN; the database no longer does.
  const auto demoted =
      DecideAccess(TokenHolder{false, false, {Role::kCustomer}}, auth::Access::AnyOf({Role::kAdmin}));
  EXPECT_EQ(problem(demoted), Problem::kForbidden);
  EXPECT_EQ(demoted->detail, "this route " + auth::Access::AnyOf({Role::kAdmin}).Describe());
}

}  // namespace
}  // namespace microstore::identity
