#pragma once

#include <optional>
#include <string_view>

#include "platform/auth/roles.hpp"
#include "identity/domain/errors.hpp"
#include "identity/domain/user.hpp"

// Decisions about accounts and tokens, as pure functions of the state the use case loaded.
namespace microstore::identity {

// --- Administration ----------------------------------------------------------------------

// An actor may administer users while it holds ADMIN and is enabled. Checked again inside the
// transaction that changes the target, with the actor's row locked, so two admins demoting or
// disabling each other at once cannot leave the store without an enabled admin.
bool MayAdminister(const User& actor);

enum class RoleChange { kGrant, kRevoke };

struct RoleDecision {
  std::optional<Problem> refused;  // kCannotDemoteSelf
  bool changed = false;            // false: the user already is as asked (idempotent, no event)
  auth::RoleSet roles;             // the user's roles afterwards
};
RoleDecision DecideRoleChange(const User& target, std::string_view actor_id, auth::Role role,
                              RoleChange change);

struct DisableDecision {
  std::optional<Problem> refused;  // kCannotDisableSelf
  bool changed = false;            // false: already in that state (idempotent, no event)
};
DisableDecision DecideDisabled(const User& target, std::string_view actor_id, bool disable);

// `user` after a change at `now`: version + 1, updated_at = now.
User Touched(User user, Timestamp now);

// --- Refresh tokens ----------------------------------------------------------------------

// What the database holds about a presented refresh token.
struct StoredRefreshToken {
  bool used = false;            // already rotated
  bool family_revoked = false;  // logout, reuse or disable ended its family
  bool user_disabled = false;
  Timestamp expires_at;
};

enum class RefreshDecision {
  kRotate,         // mark it used, issue a new pair in the same family
  kReuseDetected,  // an already rotated token again: revoke the whole family, refuse
  kInvalid,        // unknown, expired, or of a revoked family
  kUserDisabled,   // refuse with 403
};

// Order matters: any known token of a disabled user is refused as such (403); a revoked family
// refuses even its newest token; reuse is detected even for an expired rotated token while its
// family lives (a stolen old token is evidence enough).
RefreshDecision DecideRefresh(const std::optional<StoredRefreshToken>& token, Timestamp now);

// --- Access tokens on identity's own routes ----------------------------------------------

// The current state behind a verified access token.
struct TokenHolder {
  bool disabled = false;
  bool token_revoked = false;
  auth::RoleSet roles;  // the user's current roles
};

// Why identity refuses a verified token on a route with `access` (checking the user's current
// roles, not the token's: a revoked role takes effect here at once), or nullopt to let it through.
// `holder` is nullopt when the token's subject is no user of ours.
std::optional<Problem> DecideAccess(const std::optional<TokenHolder>& holder, const auth::Access& access);

}  // namespace microstore::identity
