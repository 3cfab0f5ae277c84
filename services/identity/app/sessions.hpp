#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "identity/domain/refusals.hpp"
#include "identity/domain/user.hpp"
#include "platform/auth/roles.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
}

// Sessions: signing in starts a token family (a short-lived access JWT and a long-lived refresh
// token stored only as a hash); refreshing rotates within it; logout, refresh-token reuse and
// disabling a user end families, with one TokenRevoked per access token of theirs that has not
// expired. Database failures propagate as pg::Error.
namespace microstore::identity {

class Authority;

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

// A new token family for the user with these credentials. kInvalidCredentials for an unknown
// e-mail (after verifying against a dummy hash, so it takes as long) or a wrong password;
// kAccountDisabled for a disabled user with the right password. Re-hashes a password stored
// with an outdated cost.
boost::asio::awaitable<Outcome<TokenPair>> SignIn(pg::Pool& db, const Authority& authority, std::string email,
                                                  std::string password);

// Rotates `refresh_token`: marks it used and issues a new pair in its family. Presenting an
// already rotated token revokes the family (TokenRevoked per live access token, committed) and
// answers kRefreshTokenReused; unknown, expired or revoked: kInvalidRefreshToken; a disabled
// user: kAccountDisabled.
boost::asio::awaitable<Outcome<TokenPair>> Refresh(pg::Pool& db, const messaging::Outbox& outbox,
                                                   const Authority& authority, std::string refresh_token,
                                                   messaging::EventContext context);

// Identity's own check of a verified token on one of its routes: the token must not be revoked
// (kTokenRevoked), its user must exist (kUnknownSubject) and be enabled (kTokenOfDisabledUser),
// and the user's current roles must satisfy `access` (kForbidden).
boost::asio::awaitable<Outcome<Caller>> Authorize(pg::Pool& db, auth::Principal principal,
                                                  auth::Access access);

// Revokes the caller's token family (TokenRevoked per live access token, this one included).
boost::asio::awaitable<void> Logout(pg::Pool& db, const messaging::Outbox& outbox, const Authority& authority,
                                    Caller caller, messaging::EventContext context);

}  // namespace microstore::identity
