#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gateway/domain/revocations.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The gateway's revocation tables (migrations/0001_revocations.sql).
namespace microstore::gateway {

// Channel of the NOTIFY sent by every transaction that changed the revocation tables: replicas
// reload on it (delivered on commit).
inline constexpr const char* kRevocationsChannel = "gateway_revocations";

// Records a revoked token in `transaction` (a token already recorded stays as it is) and notifies.
boost::asio::awaitable<void> StoreRevokedToken(pg::Transaction& transaction, const RevokedToken& token);

// Records a user's state when its version is higher than the stored one (Supersedes) and notifies;
// false when it was stale and nothing changed.
boost::asio::awaitable<bool> StoreUserState(pg::Transaction& transaction, const UserState& state);

struct RevocationChanges {
  std::int64_t generation = 0;       // the latest generation; pass it as `since` next time
  std::vector<RevokedToken> tokens;  // revoked tokens stored after `since`, not expired before the cutoff
  std::vector<UserState> users;      // user states stored after `since`
};

// What changed after generation `since` (everything for 0), read in one snapshot.
boost::asio::awaitable<RevocationChanges> LoadRevocationChanges(pg::Pool& pool, std::int64_t since,
                                                                WallClock::time_point expired_before);

// Deletes up to `limit` revoked tokens that expired before `cutoff`; returns how many.
boost::asio::awaitable<std::int64_t> DeleteExpiredTokens(pg::Pool& pool, WallClock::time_point cutoff,
                                                         std::size_t limit);

}  // namespace microstore::gateway
