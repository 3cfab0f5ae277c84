#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "identity/domain/events.hpp"
#include "identity/domain/rules.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// SQL for token families, refresh tokens (by hash) and issued access tokens (by jti). Callers
// hold the owning user's row lock (user_store.hpp) when they insert, rotate or revoke.
namespace microstore::identity {

boost::asio::awaitable<void> InsertFamily(pg::Transaction& transaction, std::string family_id,
                                          std::string user_id, Timestamp now);
boost::asio::awaitable<void> InsertRefreshToken(pg::Transaction& transaction, std::string token_hash,
                                                std::string family_id, Timestamp issued_at,
                                                Timestamp expires_at);
boost::asio::awaitable<void> InsertAccessToken(pg::Transaction& transaction, std::string jti,
                                               std::string family_id, std::string user_id,
                                               Timestamp issued_at, Timestamp expires_at);

// The owner of a refresh token, read without locking: to know whose row to lock first.
boost::asio::awaitable<std::optional<std::string>> OwnerOfRefreshToken(pg::Pool& pool,
                                                                       std::string token_hash);

struct RefreshTokenRecord {
  std::string family_id;
  std::string user_id;
  StoredRefreshToken state;  // user_disabled is left false: the caller knows it from the user row
};
boost::asio::awaitable<std::optional<RefreshTokenRecord>> ReadRefreshToken(pg::Transaction& transaction,
                                                                           std::string token_hash);
boost::asio::awaitable<void> MarkRefreshTokenUsed(pg::Transaction& transaction, std::string token_hash,
                                                  Timestamp now);

struct AccessTokenRecord {
  std::string family_id;
  std::string user_id;
};
boost::asio::awaitable<std::optional<AccessTokenRecord>> FindAccessToken(pg::Pool& pool, std::string jti);

// Revokes the family (if still live) and every access token of it that has not expired at
// `now`; returns those tokens (one TokenRevoked each).
boost::asio::awaitable<std::vector<RevokedToken>> RevokeFamily(pg::Transaction& transaction,
                                                               std::string family_id, Timestamp now,
                                                               RevocationReason reason);
// The same for every live family of the user.
boost::asio::awaitable<std::vector<RevokedToken>> RevokeAllFamilies(pg::Transaction& transaction,
                                                                    std::string user_id, Timestamp now,
                                                                    RevocationReason reason);

// Deletes, in batches of at most `limit`, tokens that expired before `before` and families left
// without tokens; returns how many rows went.
boost::asio::awaitable<std::int64_t> DeleteExpiredTokens(pg::Pool& pool, Timestamp before, int limit);

// Runs DeleteExpiredTokens every `interval` for tokens expired longer than `retention`, in the
// background, until Stop(). Failures are logged and retried at the next round.
class TokenCleanup {
 public:
  TokenCleanup(boost::asio::any_io_executor executor, pg::Pool& pool, std::chrono::milliseconds interval,
               std::chrono::hours retention);
  ~TokenCleanup();
  TokenCleanup(const TokenCleanup&) = delete;
  TokenCleanup& operator=(const TokenCleanup&) = delete;

  void Start();
  void Stop();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace microstore::identity
