// The pool and the LISTEN connection heal by themselves when PostgreSQL restarts, on a server of
// the test's own (the shared test cluster cannot be restarted under other tests).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

#include "platform/pg/listener.hpp"
#include "platform/pg/pool.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/private_postgres.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace pg = microstore::pg;
namespace mt = microstore::testing;
using namespace std::chrono_literals;

struct Observed {
  std::vector<std::string> payloads;
  int connects = 0;
};

asio::awaitable<void> SurviveRestart(mt::PrivatePostgres& server) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = server.Url(), .max_size = 2, .acquire_timeout = 2s, .connect_timeout = 2s});
  Observed observed;
  Observed* seen = &observed;  // lambdas inside co_await expressions capture trivially destructible values only
  pg::ListenerOptions options{
      .conninfo = server.Url(), .channels = {"events"}, .min_backoff = 20ms, .max_backoff = 200ms};
  pg::Listener listener(
      executor, options, [seen](const pg::Notification& n) { seen->payloads.push_back(n.payload); },
      [seen] { ++seen->connects; });
  listener.Start();
  co_await mt::WaitUntil([seen] { return seen->connects == 1; });
  const int before = (co_await pool.Query("SELECT pg_backend_pid()")).Get<int>(0, 0);
  co_await pg::Notify(pool, "events", "before");
  co_await mt::WaitUntil([seen] { return seen->payloads.size() == 1; });

  server.Stop();
  // The idle connections got the server's shutdown notice, so the pool drops them and tries a
  // new one, which is refused: a clean error, not a hang.
  const auto down = co_await mt::Catch<pg::ConnectionFailed>(pool.Query("SELECT 1"));
  EXPECT_TRUE(down.has_value());

  server.Start();
  const int after = (co_await pool.Query("SELECT pg_backend_pid()")).Get<int>(0, 0);
  EXPECT_NE(before, after);
  co_await mt::WaitUntil([seen] { return seen->connects == 2; });  // re-listened by itself
  co_await pg::Notify(pool, "events", "after");
  co_await mt::WaitUntil([seen] { return seen->payloads.size() == 2; });
  EXPECT_EQ(seen->payloads.back(), "after");
  listener.Stop();
}

TEST(PostgresRestart, PoolAndListenerReconnect) {
  mt::PrivatePostgres server;
  asio::io_context io;
  mt::Run(io, SurviveRestart(server));
}

}  // namespace
