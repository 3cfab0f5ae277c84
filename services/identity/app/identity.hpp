#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/auth/jwt.hpp"
#include "platform/auth/roles.hpp"
#include "identity/domain/events.hpp"
#include "identity/domain/pagination.hpp"
#include "identity/domain/rules.hpp"
#include "identity/domain/user.hpp"
#include "identity/domain/validation.hpp"
#include "identity/infra/passwords.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The identity use cases: each loads what it needs, decides with the domain rules, and saves the
// change together with its events (outbox, producer "identity") in one transaction. Refusals
// are thrown as IdentityError (domain/errors.hpp); database failures propagate as pg::Error.
//
// Threading: everything runs on the pool's event loop except password hashing, which goes to
// the `workers` executor (runtime::Offload).
namespace microstore::identity {

struct IdentityOptions {
  std::string issuer = "microstore-identity";        // `iss` of the access tokens
  std::chrono::seconds access_ttl{15 * 60};          // access token lifetime
  std::chrono::seconds refresh_ttl{30 * 24 * 3600};  // refresh token lifetime (each rotation restarts it)
  std::string node_id = "identity";                  // the envelope's node_id
  std::function<Timestamp()> clock;                  // empty: the system clock
};

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
  std::chrono::seconds expires_in{0};
  std::chrono::seconds refresh_expires_in{0};
};

// The caller of an authenticated route once identity's own checks passed.
struct Caller {
  std::string user_id;
  auth::RoleSet roles;        // current roles (from the database)
  auth::RoleSet token_roles;  // the roles the token carries
  std::string token_id;       // jti ("" when the token had none)
  Timestamp expires_at;       // the token's exp
};

struct UserPage {
  std::vector<User> items;
  std::optional<std::string> next_cursor;  // absent on the last page
};

enum class BootstrapOutcome { kCreated, kPromoted, kAlreadyAdmin };

class Identity {
 public:
  // `db` must outlive this object; `workers` runs password hashing.
  Identity(pg::Pool& db, boost::asio::any_io_executor workers, auth::Signer signer, PasswordCost cost,
           IdentityOptions options);
  ~Identity();
  Identity(const Identity&) = delete;
  Identity& operator=(const Identity&) = delete;

  // A new user with role CUSTOMER; emits UserRegistered. kEmailTaken when the e-mail exists.
  boost::asio::awaitable<User> Register(Registration registration, messaging::EventContext context);

  // A new token family for the user with these credentials. kInvalidCredentials for an unknown
  // e-mail (after verifying against a dummy hash, so it takes as long) or a wrong password;
  // kAccountDisabled for a disabled user with the right password. Re-hashes a password stored
  // with an outdated cost.
  boost::asio::awaitable<TokenPair> SignIn(std::string email, std::string password);

  // Rotates `refresh_token`: marks it used and issues a new pair in its family. Presenting an
  // already rotated token revokes the family (TokenRevoked per live access token, committed)
  // and throws kRefreshTokenReused; unknown, expired or revoked: kInvalidRefreshToken; a disabled
  // user: kAccountDisabled.
  boost::asio::awaitable<TokenPair> Refresh(std::string refresh_token, messaging::EventContext context);

  // Identity's own check of a verified token on one of its routes: the token must not be
  // revoked, its user must exist and be enabled, and the user's current roles must satisfy
  // `access`.
  boost::asio::awaitable<Caller> Authorize(auth::Principal principal, auth::Access access);

  // Revokes the caller's token family (TokenRevoked per live access token, this one included).
  boost::asio::awaitable<void> Logout(Caller caller, messaging::EventContext context);

  // ADMIN: any user; others only themselves (kForbidden). Unknown or malformed id: kUserNotFound.
  boost::asio::awaitable<User> GetUser(Caller caller, std::string id);

  // Applies the patch to the caller's profile; emits CustomerProfileUpdated unless nothing changed.
  boost::asio::awaitable<User> UpdateProfile(Caller caller, ProfilePatch patch,
                                             messaging::EventContext context);

  boost::asio::awaitable<UserPage> ListUsers(std::optional<UserCursor> after,
                                             std::optional<std::string> email, int limit);

  // Grants or revokes a role (idempotent: no event when nothing changes; else UserRolesChanged).
  // kCannotDemoteSelf when an admin revokes their own ADMIN.
  boost::asio::awaitable<User> ChangeRole(Caller caller, std::string user_id, auth::Role role,
                                          RoleChange change, messaging::EventContext context);

  // Disables (revoking every family, TokenRevoked per live access token, then UserDisabled) or
  // enables (UserEnabled) a user; idempotent. kCannotDisableSelf for the caller's own account.
  boost::asio::awaitable<User> SetDisabled(Caller caller, std::string user_id, bool disabled,
                                           messaging::EventContext context);

  // Start-up: makes sure a user with this e-mail holds ADMIN. Creates it with this password
  // (UserRegistered) when missing; otherwise adds ADMIN if missing (UserRolesChanged) and never
  // touches its password. Safe when several replicas run it at once.
  boost::asio::awaitable<BootstrapOutcome> EnsureAdmin(std::string email, std::string password);

  const IdentityOptions& options() const { return options_; }

 private:
  Timestamp Now() const;
  boost::asio::awaitable<TokenPair> Issue(pg::Transaction& transaction, const User& user,
                                          std::string family_id, Timestamp now);
  boost::asio::awaitable<std::string> HashPassword(std::string password);
  boost::asio::awaitable<void> Emit(pg::Transaction& transaction, std::vector<DomainEvent> events,
                                    messaging::EventContext context, Timestamp now);
  boost::asio::awaitable<std::optional<BootstrapOutcome>> PromoteExistingAdmin(std::string email);

  pg::Pool& db_;
  boost::asio::any_io_executor workers_;
  auth::Signer signer_;
  std::unique_ptr<const PasswordHasher> hasher_;
  IdentityOptions options_;
};

}  // namespace microstore::identity
