#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "identity/domain/rules.hpp"
#include "identity/domain/user.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// SQL for the users table. Times are stored with millisecond precision (callers pass
// millisecond-truncated times, so what they read back compares equal).
//
// Locking rule: a transaction that changes a user's row or any of that user's tokens first locks
// the user's row with one of the Lock* functions (FOR NO KEY UPDATE). Changes per user are thus
// serialised — sign-in against disable, refresh against logout — and the lock order is always
// users (by id) → token_families → tokens, so such transactions do not deadlock.
namespace microstore::identity {

// Inserts a new user; false (and nothing inserted, the transaction still usable) when the e-mail
// is taken. Roles and channels must be valid (they are closed sets).
boost::asio::awaitable<bool> InsertUser(pg::Transaction& transaction, User user, std::string password_hash);

boost::asio::awaitable<std::optional<User>> LockUser(pg::Transaction& transaction, std::string id);
boost::asio::awaitable<std::optional<User>> LockUserByEmail(pg::Transaction& transaction, std::string email);
// Locks the users with these ids in id order (no deadlock between two callers locking the same
// pair); returns those that exist, in id order.
boost::asio::awaitable<std::vector<User>> LockUsers(pg::Transaction& transaction,
                                                    std::vector<std::string> ids);

// Writes the mutable fields (profile, roles, disabled, updated_at, version) of a locked user.
boost::asio::awaitable<void> SaveUser(pg::Transaction& transaction, User user);

boost::asio::awaitable<std::optional<User>> FindUser(pg::Pool& pool, std::string id);

struct StoredCredentials {
  User user;
  std::string password_hash;
};
boost::asio::awaitable<std::optional<StoredCredentials>> FindCredentials(pg::Pool& pool, std::string email);

// Replaces the hash only if it is still `old_hash` (a concurrent re-hash or change wins).
boost::asio::awaitable<void> ReplacePasswordHash(pg::Pool& pool, std::string id, std::string old_hash,
                                                 std::string new_hash);

// Up to `limit` users after `after` in (created_at, id) order, optionally only the one with
// that (normalised) e-mail.
boost::asio::awaitable<std::vector<User>> FindUsers(pg::Pool& pool, std::optional<UserCursor> after,
                                                    std::optional<std::string> email, int limit);

// The state behind an access token of `user_id` with id `jti`; nullopt when there is no such
// user. A jti identity never recorded counts as not revoked.
boost::asio::awaitable<std::optional<TokenHolder>> FindTokenHolder(pg::Pool& pool, std::string user_id,
                                                                   std::string jti);

}  // namespace microstore::identity
