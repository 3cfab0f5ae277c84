#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "identity/domain/events.hpp"
#include "identity/domain/refusals.hpp"
#include "identity/domain/user.hpp"
#include "identity/domain/validation.hpp"
#include "platform/auth/roles.hpp"
#include "platform/core/decision.hpp"

// Decisions about accounts and tokens, as pure functions of the state the use case loaded and
// the time it passes in.
namespace microstore::identity {

// --- Changes of one user -----------------------------------------------------------------

// What a command does to one user: Changed (the user after it, touched at `now`, and the event
// it emits), Unchanged (the user already is as asked: idempotent, nothing saved, no event), or
// the refusal.
using UserDecision = std::variant<core::Changed<User, Event>, core::Unchanged, Refusal>;

// `user` after a change at `now`: version + 1, updated_at = now.
User Touched(User user, Timestamp now);

// The patch applied to the user's profile (CustomerProfileUpdated), or kValidation naming every
// problem of the patch (ApplyProfilePatch).
UserDecision DecideProfileUpdate(const User& user, const ProfilePatch& patch, Timestamp now);

// --- Administration ----------------------------------------------------------------------

// An actor may administer users while it holds ADMIN and is enabled. Checked again inside the
// transaction that changes the target, with the actor's row locked, so two admins demoting or
// disabling each other at once cannot leave the store without an enabled admin.
bool MayAdminister(const User& actor);

enum class RoleChange { kGrant, kRevoke };

// Granting never refuses: UserRolesChanged, or Unchanged when the user already holds the role.
core::Decision<User, Event> DecideGrant(const User& target, auth::Role role, Timestamp now);
// UserRolesChanged; kCannotDemoteSelf when the actor revokes their own ADMIN role.
UserDecision DecideRoleChange(const User& target, std::string_view actor_id, auth::Role role,
                              RoleChange change, Timestamp now);

// UserDisabled or UserEnabled; kCannotDisableSelf for the actor's own account. Disabling also
// ends every token family of the user: the caller revokes them and emits their TokenRevoked
// events after UserDisabled.
UserDecision DecideDisabled(const User& target, std::string_view actor_id, bool disable, Timestamp now);

// --- Tokens ------------------------------------------------------------------------------

// What the access tokens identity signs say and how long tokens live.
struct TokenPolicy {
  std::string issuer = "microstore-identity";        // `iss` of the access tokens
  std::chrono::seconds access_ttl{15 * 60};          // access token lifetime
  std::chrono::seconds refresh_ttl{30 * 24 * 3600};  // refresh token lifetime (each rotation restarts it)
};

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
std::optional<Refusal> DecideAccess(const std::optional<TokenHolder>& holder, const auth::Access& access);

}  // namespace microstore::identity
