#include <gtest/gtest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <optional>

#include "platform/pg/pool.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace pg = microstore::pg;
namespace mt = microstore::testing;
using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;

std::string Count(const std::string& url, const std::string& where) {
  return mt::QueryValueSync(url, "SELECT count(*) FROM items WHERE " + where);
}

void Terminate(const std::string& url, int pid) {
  mt::ExecSync(url, "SELECT pg_terminate_backend(" + std::to_string(pid) + ", 10000)");
}

asio::awaitable<void> CreateItems(pg::Pool& pool) {
  co_await pool.Query("CREATE TABLE items (id int PRIMARY KEY, note text)");
}

asio::awaitable<void> TransactionsCommitOrRollBack(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
  co_await CreateItems(pool);

  {
    pg::Transaction tx = co_await pool.Begin();
    co_await tx.Query("INSERT INTO items VALUES ($1, $2)", 1, "committed");
    EXPECT_EQ(Count(url, "id = 1"), "0");  // not visible before commit
    co_await tx.Commit();
  }
  EXPECT_EQ(Count(url, "id = 1"), "1");

  {
    pg::Transaction tx = co_await pool.Begin();
    co_await tx.Query("INSERT INTO items VALUES ($1, $2)", 2, "rolled back");
    co_await tx.Rollback();
  }
  EXPECT_EQ(Count(url, "id = 2"), "0");

  // Abandoned without Commit: the connection must be rolled back before anyone reuses it, so the
  // next statement on the (only) connection does not see the uncommitted row.
  int abandoned_pid = 0;
  {
    pg::Transaction tx = co_await pool.Begin();
    abandoned_pid = tx.connection().BackendPid();
    co_await tx.Query("INSERT INTO items VALUES ($1, $2)", 3, "abandoned");
  }
  const pg::Result after =
      co_await pool.Query("SELECT count(*)::int, pg_backend_pid() FROM items WHERE id = 3");
  EXPECT_EQ(after.Get<int>(0, 0), 0);
  EXPECT_EQ(after.Get<int>(0, 1), abandoned_pid);  // reused after the rollback, not reconnected
  EXPECT_EQ(Count(url, "id = 3"), "0");

  try {
    pg::Transaction tx = co_await pool.Begin();
    co_await tx.Query("INSERT INTO items VALUES ($1, $2)", 4, "thrown");
    throw std::runtime_error("business rule failed");
  } catch (const std::runtime_error&) {
  }
  const pg::Result thrown = co_await pool.Query("SELECT count(*)::int FROM items WHERE id = 4");
  EXPECT_EQ(thrown.Get<int>(0, 0), 0);
  EXPECT_EQ(Count(url, "true"), "1");
  EXPECT_EQ(pool.Stats().size, 1u);
}

TEST(PgPool, TransactionsCommitOrRollBack) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, TransactionsCommitOrRollBack(db.url()));
}

asio::awaitable<void> CommitOfFailedTransactionThrows(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
  co_await CreateItems(pool);
  co_await pool.Query("INSERT INTO items VALUES (1, 'existing')");

  pg::Transaction tx = co_await pool.Begin();
  co_await tx.Query("INSERT INTO items VALUES (2, 'before the failure')");
  const auto duplicate = co_await mt::Catch<pg::UniqueViolation>(tx.Query("INSERT INTO items VALUES (1, 'dup')"));
  EXPECT_TRUE(duplicate.has_value());
  const auto commit = co_await mt::Catch<pg::Error>(tx.Commit());
  EXPECT_TRUE(commit && commit->sqlstate() == "25P02");
  EXPECT_EQ(Count(url, "id = 2"), "0");
  EXPECT_THROW(tx.connection(), std::logic_error);
}

TEST(PgPool, CommitOfFailedTransactionThrows) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, CommitOfFailedTransactionThrows(db.url()));
}

// Write skew: each transaction reads what the other writes. SERIALIZABLE lets only one commit.
asio::awaitable<void> SerializableWriteSkewFails(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 2});
  co_await pool.Query("CREATE TABLE duty (doctor int, on_call bool)");
  co_await pool.Query("INSERT INTO duty VALUES (1, true), (2, true)");

  pg::Transaction first = co_await pool.Begin(pg::IsolationLevel::kSerializable);
  pg::Transaction second = co_await pool.Begin(pg::IsolationLevel::kSerializable);
  const pg::Result seen_by_first = co_await first.Query("SELECT count(*)::int FROM duty WHERE on_call");
  const pg::Result seen_by_second = co_await second.Query("SELECT count(*)::int FROM duty WHERE on_call");
  EXPECT_EQ(seen_by_first.Get<int>(0, 0), 2);
  EXPECT_EQ(seen_by_second.Get<int>(0, 0), 2);
  co_await first.Query("UPDATE duty SET on_call = false WHERE doctor = 1");
  co_await first.Commit();

  std::optional<pg::SerializationFailure> failure;
  try {
    co_await second.Query("UPDATE duty SET on_call = false WHERE doctor = 2");
    co_await second.Commit();
  } catch (const pg::SerializationFailure& e) {
    failure = e;
  }
  EXPECT_TRUE(failure.has_value());
  if (failure) {
    EXPECT_EQ(failure->sqlstate(), "40001");
    EXPECT_NE(dynamic_cast<const pg::TransactionRollback*>(&*failure), nullptr);
  }
  EXPECT_EQ(mt::QueryValueSync(url, "SELECT count(*) FROM duty WHERE on_call"), "1");
}

TEST(PgPool, SerializableWriteSkewThrowsSerializationFailure) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, SerializableWriteSkewFails(db.url()));
}

asio::awaitable<void> ExhaustedPoolTimesOut(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 1, .acquire_timeout = 200ms});
  pg::PooledConnection held = co_await pool.Acquire();
  const int pid = held->BackendPid();

  const auto timeout = co_await mt::Catch<pg::PoolTimeout>(pool.Acquire());
  EXPECT_TRUE(timeout.has_value());
  const auto query_timeout = co_await mt::Catch<pg::PoolTimeout>(pool.Query("SELECT 1"));
  EXPECT_TRUE(query_timeout.has_value());
  EXPECT_EQ(pool.Stats().size, 1u);
  EXPECT_EQ(pool.Stats().in_use, 1u);
  EXPECT_EQ(pool.Stats().waiting, 0u);

  held.Release();
  EXPECT_EQ(pool.Stats().idle, 1u);
  pg::PooledConnection again = co_await pool.Acquire();
  EXPECT_EQ(again->BackendPid(), pid);
}

TEST(PgPool, ExhaustedPoolTimesOutCleanly) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, ExhaustedPoolTimesOut(db.url()));
}

using Events = std::shared_ptr<std::vector<std::string>>;

asio::awaitable<void> Borrow(pg::Pool* pool, std::string name, Events events, std::size_t queued_before) {
  // Queue behind the waiters started earlier, so the FIFO order is known.
  co_await mt::WaitUntil([pool, queued_before] { return pool->Stats().waiting == queued_before; });
  pg::PooledConnection connection = co_await pool->Acquire();
  events->push_back(name + " got " + std::to_string(connection->BackendPid()));
  co_await connection->Query("SELECT 1");
}

asio::awaitable<void> ReleaseWhenQueued(pg::Pool* pool, pg::PooledConnection held, Events events) {
  co_await mt::WaitUntil([pool] { return pool->Stats().waiting == 2; });
  events->push_back("released " + std::to_string(held->BackendPid()));
  held.Release();
}

asio::awaitable<void> WaitersGetReleasedConnectionsInOrder(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 1, .acquire_timeout = 30s});
  pg::PooledConnection held = co_await pool.Acquire();
  const std::string pid = std::to_string(held->BackendPid());
  auto events = std::make_shared<std::vector<std::string>>();

  co_await (Borrow(&pool, "first", events, 0) && Borrow(&pool, "second", events, 1) &&
            ReleaseWhenQueued(&pool, std::move(held), events));

  EXPECT_EQ(*events, (std::vector<std::string>{"released " + pid, "first got " + pid, "second got " + pid}));
  EXPECT_EQ(pool.Stats().size, 1u);
  EXPECT_EQ(pool.Stats().waiting, 0u);
}

TEST(PgPool, WaitersGetReleasedConnectionsInFifoOrder) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, WaitersGetReleasedConnectionsInOrder(db.url()));
}

asio::awaitable<void> KilledIdleConnectionIsReplaced(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
  const int before = (co_await pool.Query("SELECT pg_backend_pid()")).Get<int>(0, 0);
  EXPECT_EQ(pool.Stats().idle, 1u);
  Terminate(url, before);

  const int after = (co_await pool.Query("SELECT pg_backend_pid()")).Get<int>(0, 0);
  EXPECT_NE(after, before);
  EXPECT_EQ(pool.Stats().size, 1u);
}

TEST(PgPool, KilledIdleConnectionIsReplaced) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, KilledIdleConnectionIsReplaced(db.url()));
}

asio::awaitable<void> TakeOver(pg::Pool* pool, std::shared_ptr<int> pid) {
  co_await mt::WaitUntil([pool] { return pool->Stats().waiting == 0; });
  pg::PooledConnection connection = co_await pool->Acquire();
  *pid = (co_await connection->Query("SELECT pg_backend_pid()")).Get<int>(0, 0);
}

asio::awaitable<void> LoseHeldConnection(std::string url, pg::Pool* pool, pg::PooledConnection held) {
  co_await mt::WaitUntil([pool] { return pool->Stats().waiting == 1; });
  Terminate(url, held->BackendPid());
  const auto lost = co_await mt::Catch<pg::ConnectionLost>(held->Query("SELECT 1"));
  EXPECT_TRUE(lost.has_value());
  held.Release();
}

// A connection that broke while held is dropped on release, and the queued waiter opens a new one.
asio::awaitable<void> BrokenConnectionIsDiscardedOnRelease(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 1, .acquire_timeout = 30s});
  pg::PooledConnection held = co_await pool.Acquire();
  const int killed = held->BackendPid();
  auto taken_over_by = std::make_shared<int>(0);

  co_await (TakeOver(&pool, taken_over_by) && LoseHeldConnection(url, &pool, std::move(held)));

  EXPECT_NE(*taken_over_by, 0);
  EXPECT_NE(*taken_over_by, killed);
  EXPECT_EQ(pool.Stats().size, 1u);
  EXPECT_EQ(pool.Stats().idle, 1u);
}

TEST(PgPool, BrokenConnectionIsDiscardedOnRelease) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, BrokenConnectionIsDiscardedOnRelease(db.url()));
}

asio::awaitable<void> AbandonedQueryDiscardsConnection(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
  const int before = (co_await pool.Query("SELECT pg_backend_pid()")).Get<int>(0, 0);
  asio::steady_timer timer(executor, 50ms);
  auto slow = pool.Query("SELECT pg_sleep(30)");
  const auto outcome = co_await (std::move(slow) || timer.async_wait(asio::use_awaitable));
  EXPECT_EQ(outcome.index(), 1u);
  EXPECT_EQ(pool.Stats().size, 0u);
  const int after = (co_await pool.Query("SELECT pg_backend_pid()")).Get<int>(0, 0);
  EXPECT_NE(after, before);
}

TEST(PgPool, AbandonedQueryDiscardsConnection) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, AbandonedQueryDiscardsConnection(db.url()));
}

asio::awaitable<void> WaitForClosedPool(pg::Pool* pool, std::shared_ptr<bool> failed) {
  try {
    co_await pool->Acquire();
  } catch (const pg::PoolTimeout&) {
    throw;
  } catch (const pg::Error&) {
    *failed = true;
  }
}

asio::awaitable<void> DestroyWhenQueued(std::unique_ptr<pg::Pool>* pool) {
  co_await mt::WaitUntil([pool] { return (*pool)->Stats().waiting == 1; });
  pool->reset();
}

asio::awaitable<void> HandleOutlivesPool(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  auto pool = std::make_unique<pg::Pool>(
      executor, pg::PoolOptions{.conninfo = url, .max_size = 1, .acquire_timeout = 30s});
  pg::PooledConnection held = co_await pool->Acquire();
  auto waiter_failed = std::make_shared<bool>(false);

  co_await (WaitForClosedPool(pool.get(), waiter_failed) && DestroyWhenQueued(&pool));

  EXPECT_TRUE(*waiter_failed);
  const pg::Result r = co_await held->Query("SELECT 1");
  EXPECT_EQ(r.Get<int>(0, 0), 1);
  held.Release();
}

TEST(PgPool, HandleOutlivesPoolAndQueuedAcquireFails) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, HandleOutlivesPool(db.url()));
}

}  // namespace
