#include "identity/domain/rules.hpp"

namespace microstore::identity {

bool MayAdminister(const User& actor) { return actor.roles.Has(auth::Role::kAdmin) && !actor.disabled; }

RoleDecision DecideRoleChange(const User& target, std::string_view actor_id, auth::Role role,
                              RoleChange change) {
  RoleDecision decision;
  decision.roles = target.roles;
  if (change == RoleChange::kGrant) {
    decision.changed = !target.roles.Has(role);
    decision.roles.Add(role);
    return decision;
  }
  if (!target.roles.Has(role)) return decision;
  if (role == auth::Role::kAdmin && target.id == actor_id) {
    decision.refused = Problem::kCannotDemoteSelf;
    return decision;
  }
  decision.changed = true;
  decision.roles.Remove(role);
  return decision;
}

DisableDecision DecideDisabled(const User& target, std::string_view actor_id, bool disable) {
  DisableDecision decision;
  if (target.disabled == disable) return decision;
  if (disable && target.id == actor_id) {
    decision.refused = Problem::kCannotDisableSelf;
    return decision;
  }
  decision.changed = true;
  return decision;
}

User Touched(User user, Timestamp now) {
  ++user.version;
  user.updated_at = now;
  return user;
}

RefreshDecision DecideRefresh(const std::optional<StoredRefreshToken>& token, Timestamp now) {
  if (!token) return RefreshDecision::kInvalid;
  if (token->user_disabled) return RefreshDecision::kUserDisabled;
  if (token->family_revoked) return RefreshDecision::kInvalid;
  if (token->used) return RefreshDecision::kReuseDetected;
  if (now >= token->expires_at) return RefreshDecision::kInvalid;
  return RefreshDecision::kRotate;
}

std::optional<Problem> DecideAccess(const std::optional<TokenHolder>& holder, const auth::Access& access) {
  if (!holder) return Problem::kUnknownSubject;
  if (holder->token_revoked) return Problem::kTokenRevoked;
  if (holder->disabled) return Problem::kTokenOfDisabledUser;
  auth::Principal current;
  current.roles = holder->roles;
  if (!access.Allows(current)) return Problem::kForbidden;
  return std::nullopt;
}

}  // namespace microstore::identity
