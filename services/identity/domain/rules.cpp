#include "identity/domain/rules.hpp"

namespace microstore::identity {

User Touched(User user, Timestamp now) {
  ++user.version;
  user.updated_at = now;
  return user;
}

UserDecision DecideProfileUpdate(const User& user, const ProfilePatch& patch, Timestamp now) {
  auto applied = ApplyProfilePatch(user.profile, patch);
  if (auto* errors = std::get_if<core::FieldErrors>(&applied)) {
    return Refusal{Problem::kValidation, "the profile has invalid fields", std::move(*errors)};
  }
  auto& profile = std::get<Profile>(applied);
  if (profile == user.profile) return core::Ignored("the patch changes nothing");
  User next = Touched(user, now);
  next.profile = std::move(profile);
  return core::Changed<User, Event>{next, {CustomerProfileUpdated{next}}};
}

bool MayAdminister(const User& actor) { return actor.roles.Has(auth::Role::kAdmin) && !actor.disabled; }

core::Decision<User, Event> DecideGrant(const User& target, auth::Role role, Timestamp now) {
  if (target.roles.Has(role)) return core::Ignored("the user already holds the role");
  User next = Touched(target, now);
  next.roles.Add(role);
  return core::Changed<User, Event>{next, {UserRolesChanged{next}}};
}

UserDecision DecideRoleChange(const User& target, std::string_view actor_id, auth::Role role,
                              RoleChange change, Timestamp now) {
  if (change == RoleChange::kGrant) {
    auto decision = DecideGrant(target, role, now);
    if (const core::Unchanged* unchanged = core::IfUnchanged(decision)) return *unchanged;
    return std::move(core::ChangedOf(decision));
  }
  if (!target.roles.Has(role)) return core::Ignored("the user does not hold the role");
  if (role == auth::Role::kAdmin && target.id == actor_id) {
    return Refusal{Problem::kCannotDemoteSelf, "an admin cannot remove their own ADMIN role"};
  }
  User next = Touched(target, now);
  next.roles.Remove(role);
  return core::Changed<User, Event>{next, {UserRolesChanged{next}}};
}

UserDecision DecideDisabled(const User& target, std::string_view actor_id, bool disable, Timestamp now) {
  if (target.disabled == disable) return core::Ignored(disable ? "already disabled" : "already enabled");
  if (disable && target.id == actor_id) {
    return Refusal{Problem::kCannotDisableSelf, "an admin cannot disable their own account"};
  }
  User next = Touched(target, now);
  next.disabled = disable;
  if (disable) return core::Changed<User, Event>{next, {UserDisabled{next}}};
  return core::Changed<User, Event>{next, {UserEnabled{next}}};
}

RefreshDecision DecideRefresh(const std::optional<StoredRefreshToken>& token, Timestamp now) {
  if (!token) return RefreshDecision::kInvalid;
  if (token->user_disabled) return RefreshDecision::kUserDisabled;
  if (token->family_revoked) return RefreshDecision::kInvalid;
  if (token->used) return RefreshDecision::kReuseDetected;
  if (now >= token->expires_at) return RefreshDecision::kInvalid;
  return RefreshDecision::kRotate;
}

std::optional<Refusal> DecideAccess(const std::optional<TokenHolder>& holder, const auth::Access& access) {
  if (!holder) return Refusal{Problem::kUnknownSubject, "the token's subject is not a user"};
  if (holder->token_revoked) return Refusal{Problem::kTokenRevoked, "the token was revoked"};
  if (holder->disabled) return Refusal{Problem::kTokenOfDisabledUser, "this account is disabled"};
  auth::Principal current;
  current.roles = holder->roles;
  if (!access.Allows(current)) return Refusal{Problem::kForbidden, "this route " + access.Describe()};
  return std::nullopt;
}

}  // namespace microstore::identity
