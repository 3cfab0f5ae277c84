#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "identity/app/sessions.hpp"
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

// Administering users (ADMIN routes). Each command locks the acting admin's row with the
// target's and checks again that the actor administers (kForbidden otherwise); an unknown or
// malformed id is kUserNotFound. Commands are idempotent: asking for what already is changes
// nothing and emits nothing. Database failures propagate as pg::Error.
namespace microstore::identity {

class Authority;

struct UserPage {
  std::vector<User> items;
  std::optional<UserCursor> next;  // absent on the last page
};

// Up to `limit` users after `after` in (created_at, id) order, optionally only the one with that
// (normalised) e-mail.
boost::asio::awaitable<UserPage> ListUsers(pg::Pool& db, std::optional<UserCursor> after,
                                           std::optional<std::string> email, std::size_t limit);

// UserRolesChanged.
boost::asio::awaitable<Outcome<User>> GrantRole(pg::Pool& db, const messaging::Outbox& outbox,
                                                const Authority& authority, Caller caller,
                                                std::string user_id, auth::Role role,
                                                messaging::EventContext context);
// UserRolesChanged; kCannotDemoteSelf when an admin revokes their own ADMIN.
boost::asio::awaitable<Outcome<User>> RevokeRole(pg::Pool& db, const messaging::Outbox& outbox,
                                                 const Authority& authority, Caller caller,
                                                 std::string user_id, auth::Role role,
                                                 messaging::EventContext context);

// Revokes every token family of the user (TokenRevoked per live access token) after UserDisabled.
// kCannotDisableSelf for the caller's own account.
boost::asio::awaitable<Outcome<User>> DisableUser(pg::Pool& db, const messaging::Outbox& outbox,
                                                  const Authority& authority, Caller caller,
                                                  std::string user_id, messaging::EventContext context);
// UserEnabled. Sessions ended by disabling stay ended.
boost::asio::awaitable<Outcome<User>> EnableUser(pg::Pool& db, const messaging::Outbox& outbox,
                                                 const Authority& authority, Caller caller,
                                                 std::string user_id, messaging::EventContext context);

}  // namespace microstore::identity
