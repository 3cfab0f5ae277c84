#include "identity/infra/token_store.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "platform/core/text.hpp"
#include "platform/log/log.hpp"
#include "platform/pg/pool.hpp"
#include "platform/pg/result.hpp"

namespace microstore::identity {
namespace {

namespace asio = boost::asio;

std::string Time(Timestamp time) { return core::FormatRfc3339Utc(time); }
Timestamp FromMillis(std::int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

std::vector<RevokedToken> ReadRevoked(const pg::Result& result) {
  std::vector<RevokedToken> tokens;
  for (int row = 0; row < result.Rows(); ++row) {
    tokens.push_back({result.Get<std::string>(row, 0), result.Get<std::string>(row, 1),
                      FromMillis(result.Get<std::int64_t>(row, 2))});
  }
  return tokens;
}

constexpr const char* kRevokedColumns =
    "a.jti, a.user_id::text, (extract(epoch FROM a.expires_at) * 1000)::bigint";

}  // namespace

asio::awaitable<void> InsertFamily(pg::Transaction& transaction, std::string family_id, std::string user_id,
                                   Timestamp now) {
  co_await transaction.Query(
      "INSERT INTO token_families (id, user_id, created_at) VALUES ($1::uuid, $2::uuid, $3::timestamptz)",
      family_id, user_id, Time(now));
}

asio::awaitable<void> InsertRefreshToken(pg::Transaction& transaction, std::string token_hash,
                                         std::string family_id, Timestamp issued_at, Timestamp expires_at) {
  co_await transaction.Query(
      "INSERT INTO refresh_tokens (token_hash, family_id, issued_at, expires_at) "
      "VALUES ($1, $2::uuid, $3::timestamptz, $4::timestamptz)",
      token_hash, family_id, Time(issued_at), Time(expires_at));
}

asio::awaitable<void> InsertAccessToken(pg::Transaction& transaction, std::string jti, std::string family_id,
                                        std::string user_id, Timestamp issued_at, Timestamp expires_at) {
  co_await transaction.Query(
      "INSERT INTO access_tokens (jti, family_id, user_id, issued_at, expires_at) "
      "VALUES ($1, $2::uuid, $3::uuid, $4::timestamptz, $5::timestamptz)",
      jti, family_id, user_id, Time(issued_at), Time(expires_at));
}

asio::awaitable<std::optional<std::string>> OwnerOfRefreshToken(pg::Pool& pool, std::string token_hash) {
  const auto result = co_await pool.Query(
      "SELECT f.user_id::text FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id "
      "WHERE r.token_hash = $1",
      token_hash);
  if (result.Rows() == 0) co_return std::nullopt;
  co_return result.Get<std::string>(0, 0);
}

asio::awaitable<std::optional<RefreshTokenRecord>> ReadRefreshToken(pg::Transaction& transaction,
                                                                    std::string token_hash) {
  const auto result = co_await transaction.Query(
      "SELECT f.id::text, f.user_id::text, r.used_at IS NOT NULL, f.revoked_at IS NOT NULL, "
      "(extract(epoch FROM r.expires_at) * 1000)::bigint "
      "FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id WHERE r.token_hash = $1",
      token_hash);
  if (result.Rows() == 0) co_return std::nullopt;
  RefreshTokenRecord record;
  record.family_id = result.Get<std::string>(0, 0);
  record.user_id = result.Get<std::string>(0, 1);
  record.state.used = result.Get<bool>(0, 2);
  record.state.family_revoked = result.Get<bool>(0, 3);
  record.state.expires_at = FromMillis(result.Get<std::int64_t>(0, 4));
  co_return record;
}

asio::awaitable<void> MarkRefreshTokenUsed(pg::Transaction& transaction, std::string token_hash,
                                           Timestamp now) {
  co_await transaction.Query("UPDATE refresh_tokens SET used_at = $2::timestamptz WHERE token_hash = $1",
                             token_hash, Time(now));
}

asio::awaitable<std::optional<AccessTokenRecord>> FindAccessToken(pg::Pool& pool, std::string jti) {
  const auto result =
      co_await pool.Query("SELECT family_id::text, user_id::text FROM access_tokens WHERE jti = $1", jti);
  if (result.Rows() == 0) co_return std::nullopt;
  co_return AccessTokenRecord{result.Get<std::string>(0, 0), result.Get<std::string>(0, 1)};
}

asio::awaitable<std::vector<RevokedToken>> RevokeFamily(pg::Transaction& transaction, std::string family_id,
                                                        Timestamp now, RevocationReason reason) {
  co_return ReadRevoked(co_await transaction.Query(
      std::string(
          "WITH family AS (UPDATE token_families SET revoked_at = $2::timestamptz, revoked_reason = $3 "
          "WHERE id = $1::uuid AND revoked_at IS NULL RETURNING id) "
          "UPDATE access_tokens a SET revoked_at = $2::timestamptz, revoked_reason = $3 FROM family "
          "WHERE a.family_id = family.id AND a.revoked_at IS NULL AND a.expires_at > $2::timestamptz "
          "RETURNING ") +
          kRevokedColumns,
      family_id, Time(now), ToString(reason)));
}

asio::awaitable<std::vector<RevokedToken>> RevokeAllFamilies(pg::Transaction& transaction,
                                                             std::string user_id, Timestamp now,
                                                             RevocationReason reason) {
  co_return ReadRevoked(co_await transaction.Query(
      std::string(
          "WITH families AS (UPDATE token_families SET revoked_at = $2::timestamptz, revoked_reason = $3 "
          "WHERE user_id = $1::uuid AND revoked_at IS NULL RETURNING id) "
          "UPDATE access_tokens a SET revoked_at = $2::timestamptz, revoked_reason = $3 FROM families f "
          "WHERE a.family_id = f.id AND a.revoked_at IS NULL AND a.expires_at > $2::timestamptz "
          "RETURNING ") +
          kRevokedColumns,
      user_id, Time(now), ToString(reason)));
}

asio::awaitable<std::int64_t> DeleteExpiredTokens(pg::Pool& pool, Timestamp before, int limit) {
  const std::string cutoff = Time(before);
  const auto refresh = co_await pool.Query(
      "DELETE FROM refresh_tokens WHERE token_hash IN "
      "(SELECT token_hash FROM refresh_tokens WHERE expires_at < $1::timestamptz LIMIT $2)",
      cutoff, limit);
  const auto access = co_await pool.Query(
      "DELETE FROM access_tokens WHERE jti IN "
      "(SELECT jti FROM access_tokens WHERE expires_at < $1::timestamptz LIMIT $2)",
      cutoff, limit);
  // A family without tokens left can prove nothing any more (reuse of a deleted refresh token is
  // just an unknown token); families of a sign-in still in flight are newer than the cutoff.
  const auto families = co_await pool.Query(
      "DELETE FROM token_families WHERE id IN (SELECT f.id FROM token_families f WHERE f.created_at < "
      "$1::timestamptz "
      "AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = f.id) "
      "AND NOT EXISTS (SELECT 1 FROM access_tokens a WHERE a.family_id = f.id) LIMIT $2)",
      cutoff, limit);
  co_return refresh.AffectedRows() + access.AffectedRows() + families.AffectedRows();
}

struct TokenCleanup::State {
  State(asio::any_io_executor executor, pg::Pool& pool_, std::chrono::milliseconds interval_,
        std::chrono::hours retention_)
      : pool(pool_), timer(executor), interval(interval_), retention(retention_) {}

  pg::Pool& pool;
  asio::steady_timer timer;
  std::chrono::milliseconds interval;
  std::chrono::hours retention;
  bool started = false;
  bool stopped = false;
};

namespace {

constexpr int kCleanupBatch = 1000;

asio::awaitable<void> CleanupLoop(std::shared_ptr<TokenCleanup::State> state) {
  while (!state->stopped) {
    state->timer.expires_after(state->interval);
    co_await state->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (state->stopped) break;
    try {
      const auto before = std::chrono::system_clock::now() - state->retention;
      std::int64_t deleted = 0;
      std::int64_t round = 0;
      do {
        round = co_await DeleteExpiredTokens(state->pool, before, kCleanupBatch);
        deleted += round;
      } while (round > 0 && !state->stopped);
      if (deleted > 0) log::Info("expired tokens deleted", {{"rows", deleted}});
    } catch (const std::exception& e) {
      log::Warn("token cleanup failed; retrying at the next round", {{"error", e.what()}});
    }
  }
}

}  // namespace

TokenCleanup::TokenCleanup(asio::any_io_executor executor, pg::Pool& pool, std::chrono::milliseconds interval,
                           std::chrono::hours retention)
    : state_(std::make_shared<State>(std::move(executor), pool, interval, retention)) {}

TokenCleanup::~TokenCleanup() { Stop(); }

void TokenCleanup::Start() {
  if (state_->started || state_->stopped) return;
  state_->started = true;
  asio::co_spawn(state_->timer.get_executor(), CleanupLoop(state_), log::OnFailure{"token cleanup"});
}

void TokenCleanup::Stop() {
  state_->stopped = true;
  state_->timer.cancel();
}

}  // namespace microstore::identity
