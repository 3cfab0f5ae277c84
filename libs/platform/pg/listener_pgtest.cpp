#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>

#include "platform/pg/listener.hpp"
#include "platform/pg/pool.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace pg = microstore::pg;
namespace mt = microstore::testing;
using namespace std::chrono_literals;

struct Observed {
  std::vector<pg::Notification> notifications;
  int connects = 0;
};

asio::awaitable<void> ListenerSurvivesTerminatedBackend(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 2});
  const std::string odd_channel = "Order \"Events\"; DROP TABLE x";
  auto observed = std::make_shared<Observed>();
  pg::Listener listener(
      executor,
      {.conninfo = url, .channels = {"orders", odd_channel}, .min_backoff = 10ms, .max_backoff = 100ms},
      [observed](const pg::Notification& n) { observed->notifications.push_back(n); },
      [observed] { ++observed->connects; });
  const Observed* seen = observed.get();
  listener.Start();

  co_await mt::WaitUntil([seen] { return seen->connects == 1; });
  EXPECT_TRUE(listener.Connected());
  co_await pg::Notify(pool, "orders", "order 1 'paid'");
  co_await pg::Notify(pool, odd_channel, "odd");
  co_await pg::Notify(pool, "not_listened", "ignored");
  co_await mt::WaitUntil([seen] { return seen->notifications.size() >= 2; });
  EXPECT_EQ(observed->notifications[0].channel, "orders");
  EXPECT_EQ(observed->notifications[0].payload, "order 1 'paid'");
  EXPECT_EQ(observed->notifications[1].channel, odd_channel);
  EXPECT_EQ(observed->notifications[1].payload, "odd");

  const std::string terminated = mt::QueryValueSync(
      url,
      "SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'");
  EXPECT_EQ(terminated, "1");

  co_await mt::WaitUntil([seen] { return seen->connects == 2; });
  co_await pg::Notify(pool, "orders", "after reconnect");
  co_await mt::WaitUntil([seen] { return seen->notifications.size() >= 3; });
  EXPECT_EQ(observed->notifications.size(), 3u);
  EXPECT_EQ(observed->notifications.back().payload, "after reconnect");

  listener.Stop();
  EXPECT_FALSE(listener.Connected());
}

TEST(PgListener, DeliversNotificationsAndSurvivesTerminatedBackend) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, ListenerSurvivesTerminatedBackend(db.url()));
}

asio::awaitable<void> NotifyInTransactionWaitsForCommit(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 2});
  auto observed = std::make_shared<Observed>();
  pg::Listener listener(
      executor, {.conninfo = url, .channels = {"outbox"}},
      [observed](const pg::Notification& n) { observed->notifications.push_back(n); },
      [observed] { ++observed->connects; });
  const Observed* seen = observed.get();
  listener.Start();
  co_await mt::WaitUntil([seen] { return seen->connects == 1; });

  {
    pg::Transaction rolled_back = co_await pool.Begin();
    co_await rolled_back.Query("SELECT pg_notify($1, $2)", "outbox", "never");
    co_await rolled_back.Rollback();
  }
  pg::Transaction committed = co_await pool.Begin();
  co_await committed.Query("SELECT pg_notify($1, $2)", "outbox", "on commit");
  co_await committed.Commit();
  co_await mt::WaitUntil([seen] { return !seen->notifications.empty(); });
  EXPECT_EQ(observed->notifications.size(), 1u);
  EXPECT_EQ(observed->notifications[0].payload, "on commit");
  listener.Stop();
}

TEST(PgListener, TransactionalNotifyIsDeliveredOnlyOnCommit) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, NotifyInTransactionWaitsForCommit(db.url()));
}

}  // namespace
