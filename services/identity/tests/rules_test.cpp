#include "identity/domain/rules.hpp"

#include <gtest/gtest.h>

#include "identity/domain/pagination.hpp"

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

TEST(DecideRoleChange, GrantIsIdempotent) {
  const User user = UserWith("u", {Role::kCustomer});
  const RoleDecision grant = DecideRoleChange(user, "admin", Role::kOperator, RoleChange::kGrant);
  EXPECT_FALSE(grant.refused);
  EXPECT_TRUE(grant.changed);
  EXPECT_EQ(grant.roles, (RoleSet{Role::kCustomer, Role::kOperator}));
  const RoleDecision again = DecideRoleChange(user, "admin", Role::kCustomer, RoleChange::kGrant);
  EXPECT_FALSE(again.changed);
  EXPECT_EQ(again.roles, RoleSet{Role::kCustomer});
}

TEST(DecideRoleChange, RevokeIsIdempotent) {
  const User user = UserWith("u", {Role::kCustomer, Role::kAdmin});
  const RoleDecision revoke = DecideRoleChange(user, "admin", Role::kAdmin, RoleChange::kRevoke);
  EXPECT_TRUE(revoke.changed);
  EXPECT_EQ(revoke.roles, RoleSet{Role::kCustomer});
  const RoleDecision absent = DecideRoleChange(user, "admin", Role::kOperator, RoleChange::kRevoke);
  EXPECT_FALSE(absent.changed);
  EXPECT_FALSE(absent.refused);
}

TEST(DecideRoleChange, AnAdminCannotDropTheirOwnAdminRole) {
  const User self = UserWith("admin", {Role::kAdmin, Role::kOperator});
  const RoleDecision refused = DecideRoleChange(self, "admin", Role::kAdmin, RoleChange::kRevoke);
  EXPECT_EQ(refused.refused, Problem::kCannotDemoteSelf);
  EXPECT_FALSE(refused.changed);
  // Their other roles are theirs to drop.
  const RoleDecision other = DecideRoleChange(self, "admin", Role::kOperator, RoleChange::kRevoke);
  EXPECT_FALSE(other.refused);
  EXPECT_TRUE(other.changed);
  EXPECT_EQ(other.roles, RoleSet{Role::kAdmin});
}

TEST(DecideDisabled, IsIdempotentAndRefusesSelf) {
  const User active = UserWith("u", {Role::kCustomer});
  EXPECT_TRUE(DecideDisabled(active, "admin", true).changed);
  EXPECT_FALSE(DecideDisabled(active, "admin", false).changed);
  const User disabled = UserWith("u", {Role::kCustomer}, true);
  EXPECT_FALSE(DecideDisabled(disabled, "admin", true).changed);
  EXPECT_TRUE(DecideDisabled(disabled, "admin", false).changed);
  const DisableDecision self = DecideDisabled(UserWith("admin", {Role::kAdmin}), "admin", true);
  EXPECT_EQ(self.refused, Problem::kCannotDisableSelf);
  EXPECT_FALSE(self.changed);
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
  EXPECT_EQ(DecideAccess(std::nullopt, auth::Access::Authenticated()), Problem::kUnknownSubject);
  EXPECT_EQ(DecideAccess(TokenHolder{false, true, {Role::kAdmin}}, auth::Access::Authenticated()),
            Problem::kTokenRevoked);
  EXPECT_EQ(DecideAccess(TokenHolder{true, false, {Role::kAdmin}}, auth::Access::Authenticated()),
            Problem::kTokenOfDisabledUser);
  // The token may still say ADMIN; the database no longer does.
  EXPECT_EQ(DecideAccess(TokenHolder{false, false, {Role::kCustomer}}, auth::Access::AnyOf({Role::kAdmin})),
            Problem::kForbidden);
}

TEST(UserCursor, RoundTrips) {
  const UserCursor cursor{1'800'000'000'123, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"};
  EXPECT_EQ(DecodeCursor(EncodeCursor(cursor)), cursor);
}

TEST(UserCursor, RefusesForgeries) {
  for (const char* bad :
       {"", "!!!", "MTIz", "MTIzLw", "eC8zZjI1MDRlMC00Zjg5LTQxZDMtOWEwYy0wMzA1ZTgyYzMzMDE"}) {
    EXPECT_EQ(DecodeCursor(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(DecodeCursor(EncodeCursor({-5, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"})), std::nullopt);
  EXPECT_EQ(DecodeCursor(EncodeCursor({5, "not-a-uuid"})), std::nullopt);
  EXPECT_EQ(DecodeCursor(std::string(200, 'A')), std::nullopt);
}

}  // namespace
}  // namespace microstore::identity
