// The revocation tables, the replicas' cache refresh and the inbox handlers, against a real
// PostgreSQL (MICROSTORE_TEST_PG_URL).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "platform/core/ids.hpp"
#include "gateway/domain/revocations.hpp"
#include "gateway/api/events.hpp"
#include "gateway/app/revocation_sync.hpp"
#include "gateway/infra/migrations.hpp"
#include "gateway/infra/revocation_store.hpp"
#include "platform/pg/pool.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/inbox.hpp"
#include "platform/testing/service_harness.hpp"
#include "platform/testing/testing.hpp"

namespace microstore::gateway {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Kind = amqp::Outcome::Kind;

const WallClock::time_point kSoon = WallClock::now() + 15min;

asio::awaitable<void> StoreToken(pg::Pool& pool, RevokedToken token) {
  auto transaction = co_await pool.Begin();
  co_await StoreRevokedToken(transaction, token);
  co_await transaction.Commit();
}

asio::awaitable<bool> StoreUser(pg::Pool& pool, UserState state) {
  auto transaction = co_await pool.Begin();
  const bool applied = co_await StoreUserState(transaction, state);
  co_await transaction.Commit();
  co_return applied;
}

asio::awaitable<void> Sleep(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

class RevocationsTest : public ::testing::Test {
 protected:
  template <typename T>
  T Run(asio::awaitable<T> task) {
    return testing::Run(io_, std::move(task));
  }
  pg::Pool MakePool() { return pg::Pool(io_.get_executor(), {.conninfo = db_.url(), .max_size = 4}); }
  std::string Value(const std::string& sql) { return testing::QueryValueSync(db_.url(), sql); }

  testing::TempDatabase db_;
  asio::io_context io_;
};

TEST_F(RevocationsTest, StoredTokensAreLoadedByGeneration) {
  auto pool = MakePool();
  Run(testing::Migrate(pool, Migrations()));
  Run(StoreToken(pool, {"jti-1", "user-1", kSoon, "logout"}));
  Run(StoreToken(pool, {"jti-2", "user-1", kSoon, "refresh_reuse"}));
  EXPECT_EQ(Value("SELECT reason FROM revoked_tokens WHERE token_id = 'jti-2'"), "refresh_reuse");

  const auto all = Run(LoadRevocationChanges(pool, 0, WallClock::now()));
  EXPECT_EQ(all.generation, 2);
  ASSERT_EQ(all.tokens.size(), 2u);
  for (const auto& token : all.tokens) {
    EXPECT_EQ(token.user_id, "user-1");
    EXPECT_LT(std::chrono::abs(token.expires_at - kSoon), 1ms);
  }

  Run(StoreToken(pool, {"jti-3", "user-2", kSoon, "logout"}));
  const auto since = Run(LoadRevocationChanges(pool, all.generation, WallClock::now()));
  EXPECT_EQ(since.generation, 3);
  ASSERT_EQ(since.tokens.size(), 1u);
  EXPECT_EQ(since.tokens[0].token_id, "jti-3");
  EXPECT_TRUE(since.users.empty());

  const auto nothing_new = Run(LoadRevocationChanges(pool, since.generation, WallClock::now()));
  EXPECT_EQ(nothing_new.generation, 3);
  EXPECT_TRUE(nothing_new.tokens.empty());
}

TEST_F(RevocationsTest, ARepeatedRevocationKeepsTheFirst) {
  auto pool = MakePool();
  Run(testing::Migrate(pool, Migrations()));
  Run(StoreToken(pool, {"jti-1", "user-1", kSoon, "logout"}));
  Run(StoreToken(pool, {"jti-1", "user-1", kSoon + 1h, "user_disabled"}));
  EXPECT_EQ(Value("SELECT count(*) FROM revoked_tokens"), "1");
  EXPECT_EQ(Value("SELECT reason FROM revoked_tokens"), "logout");
}

TEST_F(RevocationsTest, ExpiredTokensAreNotLoadedAndGetDeleted) {
  auto pool = MakePool();
  Run(testing::Migrate(pool, Migrations()));
  const auto now = WallClock::now();
  Run(StoreToken(pool, {"expired", "user-1", now - 10min, "logout"}));
  Run(StoreToken(pool, {"live", "user-1", now + 10min, "logout"}));
  const auto changes = Run(LoadRevocationChanges(pool, 0, now - 5min));
  ASSERT_EQ(changes.tokens.size(), 1u);
  EXPECT_EQ(changes.tokens[0].token_id, "live");
  EXPECT_EQ(Run(DeleteExpiredTokens(pool, now - 5min, 100)), 1);
  EXPECT_EQ(Value("SELECT string_agg(token_id, ',') FROM revoked_tokens"), "live");
  EXPECT_EQ(Run(DeleteExpiredTokens(pool, now - 5min, 100)), 0);
}

TEST_F(RevocationsTest, UserStatesKeepTheHighestVersion) {
  auto pool = MakePool();
  Run(testing::Migrate(pool, Migrations()));
  EXPECT_TRUE(Run(StoreUser(pool, {"user-1", 2, true})));
  EXPECT_FALSE(Run(StoreUser(pool, {"user-1", 1, false})));  // stale
  EXPECT_FALSE(Run(StoreUser(pool, {"user-1", 2, false})));  // same version: a duplicate
  EXPECT_EQ(Value("SELECT version || ':' || disabled FROM user_states WHERE user_id = 'user-1'"), "2:true");
  EXPECT_TRUE(Run(StoreUser(pool, {"user-1", 3, false})));
  EXPECT_EQ(Value("SELECT version || ':' || disabled FROM user_states WHERE user_id = 'user-1'"), "3:false");
  EXPECT_FALSE(Run(StoreUser(pool, {"user-1", 2, true})));
  EXPECT_EQ(Value("SELECT version || ':' || disabled FROM user_states WHERE user_id = 'user-1'"), "3:false");

  const auto changes = Run(LoadRevocationChanges(pool, 0, WallClock::now()));
  ASSERT_EQ(changes.users.size(), 1u);
  EXPECT_EQ(changes.users[0].version, 3);
  EXPECT_FALSE(changes.users[0].disabled);
}

// The inbox handlers through a real Inbox (testing::DeliverThroughInbox: no broker needed).
class RevocationEventsTest : public RevocationsTest {
 protected:
  static messaging::Envelope Event(std::string type, std::string aggregate_type, std::int64_t version,
                                   nlohmann::json payload) {
    return messaging::MakeEvent(std::move(type), 1, {std::move(aggregate_type), "agg", version, "X"},
                                std::move(payload), {}, "identity", "identity-1", core::NewUuid(),
                                WallClock::now());
  }

  // Hands each event in turn to the gateway's inbox handlers on the migrated database.
  std::vector<Kind> Deliver(const std::vector<messaging::Envelope>& events) {
    testing::MigrateSync(db_.url(), Migrations());
    return testing::DeliverThroughInbox(db_.url(), "gateway", api::EventHandlers(), events);
  }
};

TEST_F(RevocationEventsTest, TokenRevokedIsStoredOnce) {
  const auto revoked = Event("TokenRevoked", "token", 1,
                             {{"token_id", "jti-9"},
                              {"user_id", "user-9"},
                              {"expires_at", "2099-01-01T00:00:00.000Z"},
                              {"reason", "logout"}});
  const auto outcomes = Deliver({revoked, revoked});
  EXPECT_EQ(outcomes, (std::vector<Kind>{Kind::kAck, Kind::kAck}));
  EXPECT_EQ(Value("SELECT token_id || '/' || user_id || '/' || reason FROM revoked_tokens"),
            "jti-9/user-9/logout");
  EXPECT_EQ(Value("SELECT to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM revoked_tokens"),
            "2099-01-01 00:00");
  EXPECT_EQ(Value("SELECT generation FROM revocation_generation"), "1");  // the duplicate changed nothing
}

TEST_F(RevocationEventsTest, UserEventsAreOrderedByVersion) {
  const auto outcomes = Deliver({Event("UserDisabled", "user", 2, {{"user_id", "u1"}}),
                                 Event("UserEnabled", "user", 3, {{"user_id", "u1"}}),
                                 Event("UserDisabled", "user", 2, {{"user_id", "u1"}})});
  EXPECT_EQ(outcomes, (std::vector<Kind>{Kind::kAck, Kind::kAck, Kind::kAck}));
  EXPECT_EQ(Value("SELECT version || ':' || disabled FROM user_states WHERE user_id = 'u1'"), "3:false");
}

TEST_F(RevocationEventsTest, UnusablePayloadsAreDeadLettered) {
  const auto outcomes = Deliver({Event("TokenRevoked", "token", 1, {{"token_id", "jti-1"}}),
                                 Event("UserDisabled", "user", 1, {{"user_id", 42}})});
  EXPECT_EQ(outcomes, (std::vector<Kind>{Kind::kDeadLetter, Kind::kDeadLetter}));
  EXPECT_EQ(Value("SELECT count(*) FROM revoked_tokens"), "0");
  EXPECT_EQ(Value("SELECT count(*) FROM user_states"), "0");
  EXPECT_EQ(Value("SELECT count(*) FROM inbox"), "0");
}

// The cache of a replica follows the tables.
class RevocationSyncTest : public RevocationsTest {
 protected:
  // Starts a sync, waits for the first load, runs `change` on another pool (another replica's
  // inbox), and waits for the cache to refuse `token_id`.
  static asio::awaitable<bool> SeesRevocation(std::string url, RevocationSyncOptions options,
                                              bool wait_for_listener) {
    const auto executor = co_await asio::this_coro::executor;
    pg::Pool pool(executor, {.conninfo = url, .max_size = 2});
    co_await testing::Migrate(pool, Migrations());
    RevocationCache cache;
    RevocationSync sync(pool, cache, options);
    sync.Start();
    std::function<bool()> ready = [&] { return sync.Loaded() && (!wait_for_listener || sync.Listening()); };
    co_await testing::WaitUntil(std::move(ready));
    EXPECT_EQ(cache.Check("user-1", "jti-1"), Refusal::kNone);

    pg::Pool other(executor, {.conninfo = url, .max_size = 1});
    // Built first: a braced argument in a co_await expression is freed twice by g++ 12.
    RevokedToken token{"jti-1", "user-1", WallClock::now() + 10min, "logout"};
    co_await StoreToken(other, std::move(token));
    UserState disabled{"user-2", 1, true};
    co_await StoreUser(other, std::move(disabled));
    bool seen = false;
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (!seen && std::chrono::steady_clock::now() < give_up) {
      seen = cache.Check("user-1", "jti-1") == Refusal::kTokenRevoked &&
             cache.Check("user-2", "") == Refusal::kUserDisabled;
      if (!seen) co_await Sleep(10ms);
    }
    sync.Stop();
    co_return seen;
  }
};

TEST_F(RevocationSyncTest, ANotificationBringsChangesAtOnce) {
  // Polling every hour: only the NOTIFY of the storing transaction can deliver the change.
  EXPECT_TRUE(Run(SeesRevocation(db_.url(), {.listener_conninfo = db_.url(), .poll_interval = 1h}, true)));
}

TEST_F(RevocationSyncTest, PollingCatchesUpWithoutNotifications) {
  // A listener that can never connect: only the poll can deliver the change.
  const auto nowhere = "postgresql://postgres@127.0.0.1:" + std::to_string(testing::FreePort()) + "/nowhere";
  EXPECT_TRUE(Run(SeesRevocation(db_.url(), {.listener_conninfo = nowhere, .poll_interval = 100ms}, false)));
}

TEST_F(RevocationSyncTest, NotReadyBeforeTheFirstLoad) {
  auto pool = MakePool();
  Run(testing::Migrate(pool, Migrations()));
  RevocationCache cache;
  RevocationSync sync(pool, cache, {.listener_conninfo = db_.url()});
  EXPECT_FALSE(sync.Loaded());
  EXPECT_EQ(Run(sync.Readiness()), std::optional<std::string>("revoked tokens not loaded yet"));
  Run(sync.Refresh());
  EXPECT_TRUE(sync.Loaded());
  EXPECT_EQ(Run(sync.Readiness()), std::nullopt);
}

TEST_F(RevocationSyncTest, RefreshAppliesChangesIncrementallyAndStartsOverAfterAReset) {
  auto pool = MakePool();
  Run(testing::Migrate(pool, Migrations()));
  RevocationCache cache;
  RevocationSync sync(pool, cache, {.listener_conninfo = db_.url()});
  Run(StoreToken(pool, {"jti-1", "user-1", kSoon, "logout"}));
  Run(StoreUser(pool, {"user-1", 1, true}));
  Run(sync.Refresh());
  EXPECT_EQ(cache.Check("x", "jti-1"), Refusal::kTokenRevoked);
  EXPECT_EQ(cache.Check("user-1", ""), Refusal::kUserDisabled);

  Run(StoreUser(pool, {"user-1", 2, false}));
  Run(sync.Refresh());
  EXPECT_EQ(cache.Check("user-1", ""), Refusal::kNone);
  EXPECT_EQ(cache.Check("x", "jti-1"), Refusal::kTokenRevoked);

  // A replaced database: the generation starts again lower than the one the replica knows.
  testing::ExecSync(db_.url(),
                    "TRUNCATE revoked_tokens, user_states; UPDATE revocation_generation SET generation = 0");
  Run(StoreToken(pool, {"jti-new", "user-3", kSoon, "logout"}));
  Run(sync.Refresh());
  EXPECT_EQ(cache.Check("x", "jti-1"), Refusal::kNone);
  EXPECT_EQ(cache.Check("x", "jti-new"), Refusal::kTokenRevoked);
}

}  // namespace
}  // namespace microstore::gateway
