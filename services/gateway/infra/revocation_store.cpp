#include "gateway/infra/revocation_store.hpp"

#include "platform/pg/pool.hpp"

namespace microstore::gateway {
namespace {

std::int64_t EpochMillis(WallClock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

WallClock::time_point FromEpochMillis(std::int64_t millis) {
  return WallClock::time_point(
      std::chrono::duration_cast<WallClock::duration>(std::chrono::milliseconds(millis)));
}

boost::asio::awaitable<std::int64_t> NextGeneration(pg::Transaction& transaction) {
  auto result = co_await transaction.Query(
      "UPDATE revocation_generation SET generation = generation + 1 RETURNING generation");
  co_return result.Get<std::int64_t>(0, 0);
}

boost::asio::awaitable<void> NotifyChanged(pg::Transaction& transaction, std::int64_t generation) {
  co_await transaction.Query("SELECT pg_notify($1, $2)", kRevocationsChannel, std::to_string(generation));
}

}  // namespace

boost::asio::awaitable<void> StoreRevokedToken(pg::Transaction& transaction, const RevokedToken& token) {
  const std::int64_t generation = co_await NextGeneration(transaction);
  co_await transaction.Query(
      "INSERT INTO revoked_tokens (token_id, user_id, expires_at, reason, generation) "
      "VALUES ($1, $2, to_timestamp($3::bigint / 1000.0), $4, $5) ON CONFLICT (token_id) DO NOTHING",
      token.token_id, token.user_id, EpochMillis(token.expires_at), token.reason, generation);
  co_await NotifyChanged(transaction, generation);
}

boost::asio::awaitable<bool> StoreUserState(pg::Transaction& transaction, const UserState& state) {
  // The same rule as Supersedes, in one statement, so that concurrent replicas cannot interleave
  // between reading the stored version and writing.
  auto result = co_await transaction.Query(
      "WITH next AS (UPDATE revocation_generation SET generation = generation + 1 RETURNING generation) "
      "INSERT INTO user_states (user_id, version, disabled, generation) "
      "SELECT $1, $2, $3, generation FROM next "
      "ON CONFLICT (user_id) DO UPDATE SET version = EXCLUDED.version, disabled = EXCLUDED.disabled, "
      "  updated_at = now(), generation = EXCLUDED.generation "
      "WHERE user_states.version < EXCLUDED.version "
      "RETURNING generation",
      state.user_id, state.version, state.disabled);
  if (result.Rows() == 0) co_return false;
  co_await NotifyChanged(transaction, result.Get<std::int64_t>(0, 0));
  co_return true;
}

boost::asio::awaitable<RevocationChanges> LoadRevocationChanges(pg::Pool& pool, std::int64_t since,
                                                                WallClock::time_point expired_before) {
  // One snapshot: rows stamped up to the generation read are all visible in it (their writers
  // committed in generation order), and none stamped later.
  const pg::TransactionOptions options{.isolation = pg::IsolationLevel::kRepeatableRead, .read_only = true};
  auto transaction = co_await pool.Begin(options);
  RevocationChanges changes;
  auto generation = co_await transaction.Query("SELECT generation FROM revocation_generation");
  changes.generation = generation.Get<std::int64_t>(0, 0);
  auto tokens = co_await transaction.Query(
      "SELECT token_id, user_id, (extract(epoch FROM expires_at) * 1000)::bigint AS expires_ms, reason "
      "FROM revoked_tokens WHERE generation > $1 AND expires_at >= to_timestamp($2::bigint / 1000.0)",
      since, EpochMillis(expired_before));
  for (int row = 0; row < tokens.Rows(); ++row) {
    changes.tokens.push_back({tokens.Get<std::string>(row, 0), tokens.Get<std::string>(row, 1),
                              FromEpochMillis(tokens.Get<std::int64_t>(row, 2)),
                              tokens.Get<std::string>(row, 3)});
  }
  auto users = co_await transaction.Query(
      "SELECT user_id, version, disabled FROM user_states WHERE generation > $1", since);
  for (int row = 0; row < users.Rows(); ++row) {
    changes.users.push_back(
        {users.Get<std::string>(row, 0), users.Get<std::int64_t>(row, 1), users.Get<bool>(row, 2)});
  }
  co_await transaction.Commit();
  co_return changes;
}

boost::asio::awaitable<std::int64_t> DeleteExpiredTokens(pg::Pool& pool, WallClock::time_point cutoff,
                                                         std::size_t limit) {
  auto result = co_await pool.Query(
      "DELETE FROM revoked_tokens WHERE token_id IN ("
      "  SELECT token_id FROM revoked_tokens WHERE expires_at < to_timestamp($1::bigint / 1000.0) "
      "  LIMIT $2 FOR UPDATE SKIP LOCKED)",
      EpochMillis(cutoff), static_cast<std::int64_t>(limit));
  co_return result.AffectedRows();
}

}  // namespace microstore::gateway
