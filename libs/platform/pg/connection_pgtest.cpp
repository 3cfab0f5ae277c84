#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>
#include <optional>
#include <thread>

#include "platform/pg/connection.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace pg = microstore::pg;
namespace mt = microstore::testing;
using namespace std::chrono_literals;

asio::awaitable<std::unique_ptr<pg::Connection>> Connect(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  co_return co_await pg::Connection::Connect(executor, std::move(url), 10s);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

asio::awaitable<void> ReadsTypedValuesAndNulls(std::string url) {
  auto connection = co_await Connect(url);
  const pg::Result r = co_await connection->Query(
      "SELECT 'hello'::text AS s, 32767::int2 AS i16, (-2147483648)::int4 AS i32, 9223372036854775807::int8 "
      "AS i64, "
      "true AS yes, false AS no, 1.5::float8 AS d, 'Infinity'::float8 AS inf, NULL::text AS nothing, "
      "NULL::int4 AS no_int");
  EXPECT_EQ(r.Rows(), 1);
  EXPECT_EQ(r.Columns(), 10);
  EXPECT_EQ(r.ColumnName(0), "s");
  EXPECT_EQ(r.ColumnIndex("d"), 6);
  EXPECT_EQ(r.Get<std::string>(0, "s"), "hello");
  EXPECT_EQ(r.Get<std::string_view>(0, 0), "hello");
  EXPECT_EQ(r.Get<std::int16_t>(0, "i16"), 32767);
  EXPECT_EQ(r.Get<std::int32_t>(0, "i32"), -2147483648);
  EXPECT_EQ(r.Get<std::int64_t>(0, "i64"), 9223372036854775807);
  EXPECT_TRUE(r.Get<bool>(0, "yes"));
  EXPECT_FALSE(r.Get<bool>(0, "no"));
  EXPECT_EQ(r.Get<double>(0, "d"), 1.5);
  EXPECT_TRUE(std::isinf(r.Get<double>(0, "inf")));
  EXPECT_FALSE(r.IsNull(0, "s"));
  EXPECT_TRUE(r.IsNull(0, "nothing"));
  EXPECT_EQ(r.Get<std::optional<std::string>>(0, "nothing"), std::nullopt);
  EXPECT_EQ(r.Get<std::optional<int>>(0, "no_int"), std::nullopt);
  EXPECT_EQ(r.Get<std::optional<std::int64_t>>(0, "i64"), 9223372036854775807);

  EXPECT_THROW(r.Get<std::string>(0, "nothing"), pg::ConversionError);
  EXPECT_THROW(r.Get<std::int16_t>(0, "i32"), pg::ConversionError);
  EXPECT_THROW(r.Get<std::uint32_t>(0, "i32"), pg::ConversionError);
  EXPECT_THROW(r.Get<int>(0, "s"), pg::ConversionError);
  EXPECT_THROW(r.Get<int>(0, "d"), pg::ConversionError);
  EXPECT_THROW(r.Get<bool>(0, "i16"), pg::ConversionError);
  EXPECT_THROW(r.Get<int>(1, 0), pg::ConversionError);
  EXPECT_THROW(r.Get<int>(0, 10), pg::ConversionError);
  EXPECT_THROW(r.Get<int>(0, "missing"), pg::ConversionError);
  try {
    r.Get<int>(0, "s");
  } catch (const pg::ConversionError& e) {
    EXPECT_TRUE(Contains(e.what(), "\"s\"")) << e.what();
    EXPECT_FALSE(Contains(e.what(), "hello")) << e.what();
  }

  co_await connection->Query("CREATE TEMP TABLE counted (n int)");
  const pg::Result inserted = co_await connection->Query("INSERT INTO counted SELECT generate_series(1, 3)");
  EXPECT_EQ(inserted.AffectedRows(), 3);
  EXPECT_EQ(inserted.Rows(), 0);
  const pg::Result updated = co_await connection->Query("UPDATE counted SET n = n + 10 WHERE n > $1", 1);
  EXPECT_EQ(updated.AffectedRows(), 2);
  EXPECT_EQ(updated.CommandStatus(), "UPDATE 2");
}

TEST(PgConnection, ReadsTypedValuesAndNulls) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, ReadsTypedValuesAndNulls(db.url()));
}

asio::awaitable<void> ParametersRoundTripVerbatim(std::string url) {
  auto connection = co_await Connect(url);
  co_await connection->Query("CREATE TEMP TABLE notes (id serial PRIMARY KEY, body text)");
  const std::vector<std::string> hostile = {"'; DROP TABLE notes; --",
                                            "Robert'); DELETE FROM notes;--",
                                            "\"double\" 'single' `back`",
                                            "back\\slash \\'",
                                            "$1 $2 ? %s %_",
                                            "ünïcødé ✓ 🚀",
                                            "",
                                            "line\nbreak\ttab\r\n",
                                            "E'\\x00'",
                                            "/* comment */ SELECT 1;"};
  for (const auto& value : hostile) {
    const pg::Result echoed =
        co_await connection->Query("INSERT INTO notes (body) VALUES ($1) RETURNING body", value);
    EXPECT_EQ(echoed.Get<std::string>(0, 0), value);
  }
  const pg::Result count = co_await connection->Query("SELECT count(*) FROM notes");
  EXPECT_EQ(count.Get<std::int64_t>(0, 0), static_cast<std::int64_t>(hostile.size()));
  const pg::Result matched =
      co_await connection->Query("SELECT count(*) FROM notes WHERE body = $1", hostile[0]);
  EXPECT_EQ(matched.Get<std::int64_t>(0, 0), 1);

  const std::optional<int> some = 7;
  const pg::Result typed = co_await connection->Query(
      "SELECT $1::int8, $2::bool, $3::float8, $4::text IS NULL, $5::int4, $6::text, $7::text",
      std::int64_t{-1} << 62, true, 0.1 + 0.2, std::nullopt, some, std::string_view("view"), "literal");
  EXPECT_EQ(typed.Get<std::int64_t>(0, 0), std::int64_t{-1} << 62);
  EXPECT_TRUE(typed.Get<bool>(0, 1));
  EXPECT_EQ(typed.Get<double>(0, 2), 0.1 + 0.2);
  EXPECT_TRUE(typed.Get<bool>(0, 3));
  EXPECT_EQ(typed.Get<int>(0, 4), 7);
  EXPECT_EQ(typed.Get<std::string>(0, 5), "view");
  EXPECT_EQ(typed.Get<std::string>(0, 6), "literal");

  // Larger than the socket buffers, so sending and receiving both have to wait on the socket.
  std::string large(8 * 1024 * 1024, 'x');
  large[12345] = '\'';
  const pg::Result big = co_await connection->Query("SELECT $1::text, length($1)", large);
  EXPECT_EQ(big.Get<int>(0, 1), static_cast<int>(large.size()));
  EXPECT_TRUE(big.Get<std::string_view>(0, 0) == large);
}

TEST(PgConnection, ParametersRoundTripVerbatim) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, ParametersRoundTripVerbatim(db.url()));
}

asio::awaitable<void> ServerErrorsAreTyped(std::string url) {
  auto connection = co_await Connect(url);
  co_await connection->ExecuteScript(
      "CREATE TEMP TABLE parents (id int PRIMARY KEY);"
      "CREATE TEMP TABLE accounts (id int PRIMARY KEY, email text CONSTRAINT accounts_email_key UNIQUE,"
      " balance int NOT NULL CONSTRAINT balance_not_negative CHECK (balance >= 0),"
      " parent int REFERENCES parents (id));");
  co_await connection->Query("INSERT INTO accounts (id, email, balance) VALUES (1, $1, 10)",
                             "secret@example.com");

  const auto unique = co_await mt::Catch<pg::UniqueViolation>(connection->Query(
      "INSERT INTO accounts (id, email, balance) VALUES (2, $1, 10)", "secret@example.com"));
  EXPECT_TRUE(unique.has_value());
  if (unique) {
    EXPECT_EQ(unique->sqlstate(), "23505");
    EXPECT_EQ(unique->constraint(), "accounts_email_key");
    EXPECT_TRUE(Contains(unique->what(), "accounts_email_key")) << unique->what();
    EXPECT_FALSE(Contains(unique->what(), "secret")) << unique->what();
  }
  const auto check = co_await mt::Catch<pg::CheckViolation>(
      connection->Query("INSERT INTO accounts (id, balance) VALUES (3, $1)", -5));
  EXPECT_TRUE(check && check->constraint() == "balance_not_negative");
  const auto not_null =
      co_await mt::Catch<pg::NotNullViolation>(connection->Query("INSERT INTO accounts (id) VALUES (4)"));
  EXPECT_TRUE(not_null.has_value());
  const auto foreign_key = co_await mt::Catch<pg::ForeignKeyViolation>(
      connection->Query("INSERT INTO accounts (id, balance, parent) VALUES (5, 0, 99)"));
  EXPECT_TRUE(foreign_key.has_value());
  const auto syntax = co_await mt::Catch<pg::Error>(connection->Query("SELEC 1"));
  EXPECT_TRUE(syntax && syntax->sqlstate() == "42601" && typeid(*syntax) == typeid(pg::Error));

  co_await connection->Query("SET statement_timeout = '50ms'");
  const auto canceled = co_await mt::Catch<pg::QueryCanceled>(connection->Query("SELECT pg_sleep(30)"));
  EXPECT_TRUE(canceled.has_value());
  co_await connection->Query("RESET statement_timeout");

  // Every failure above left the connection usable.
  const pg::Result still = co_await connection->Query("SELECT count(*) FROM accounts");
  EXPECT_EQ(still.Get<std::int64_t>(0, 0), 1);
  EXPECT_FALSE(connection->IsBroken());
}

TEST(PgConnection, ServerErrorsAreTypedAndLeaveTheConnectionUsable) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, ServerErrorsAreTyped(db.url()));
}

asio::awaitable<std::int64_t> PreparedCount(pg::Connection& connection, std::string_view like) {
  const pg::Result count = co_await connection.Query(
      "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE $1", like);
  co_return count.Get<std::int64_t>(0, 0);
}

asio::awaitable<void> PreparesEachStatementOnce(std::string url) {
  auto connection = co_await Connect(url);
  co_await connection->ExecuteScript("CREATE TEMP TABLE items (id int PRIMARY KEY, name text NOT NULL)");
  for (int id = 1; id <= 3; ++id) {
    const pg::Result inserted =
        co_await connection->Query("INSERT INTO items (id, name) VALUES ($1, $2) RETURNING id", id, "item");
    EXPECT_EQ(inserted.Get<int>(0, 0), id);
  }
  EXPECT_EQ(co_await PreparedCount(*connection, "INSERT INTO items%"), 1);

  // An execution that fails keeps its statement; a statement the server cannot parse is not kept,
  // and neither leaves the connection unusable.
  const auto duplicate = co_await mt::Catch<pg::UniqueViolation>(
      connection->Query("INSERT INTO items (id, name) VALUES ($1, $2) RETURNING id", 1, "again"));
  EXPECT_TRUE(duplicate.has_value());
  EXPECT_EQ(co_await PreparedCount(*connection, "INSERT INTO items%"), 1);
  const auto syntax = co_await mt::Catch<pg::Error>(connection->Query("SELEC $1::int", 1));
  EXPECT_TRUE(syntax && syntax->sqlstate() == "42601");
  EXPECT_EQ(co_await PreparedCount(*connection, "SELEC %"), 0);
  const auto missing = co_await mt::Catch<pg::Error>(connection->Query("SELECT * FROM no_such_table"));
  EXPECT_TRUE(missing && missing->sqlstate() == "42P01");
  co_await connection->Query("CREATE TEMP TABLE no_such_table (n int)");
  EXPECT_EQ((co_await connection->Query("SELECT * FROM no_such_table")).Rows(), 0);

  // A statement the server forgot (DEALLOCATE ALL) fails once, then is prepared afresh.
  co_await connection->ExecuteScript("DEALLOCATE ALL");
  const auto forgotten = co_await mt::Catch<pg::Error>(PreparedCount(*connection, "INSERT INTO items%"));
  EXPECT_TRUE(forgotten && forgotten->sqlstate() == "26000");
  EXPECT_EQ(co_await PreparedCount(*connection, "%FROM pg_prepared_statements%"), 1);

  // Inside a transaction too, including the statements that end it.
  co_await connection->Query("BEGIN");
  co_await connection->Query("UPDATE items SET name = $1 WHERE id = $2", "renamed", 1);
  co_await connection->Query("ROLLBACK");
  co_await connection->Query("BEGIN");
  EXPECT_THROW(co_await connection->Query("SELECT 1/0"), pg::Error);
  co_await connection->Query("ROLLBACK");
  EXPECT_EQ(connection->GetTransactionState(), pg::TransactionState::kIdle);
  EXPECT_EQ((co_await connection->Query("SELECT name FROM items WHERE id = $1", 1)).Get<std::string>(0, 0), "item");

  // Statements built from input are many: past the bound they still run, unnamed.
  for (int n = 0; n < 300; ++n) {
    const pg::Result echoed =
        co_await connection->Query("SELECT $1::int + " + std::to_string(n) + " AS bounded", 1);
    EXPECT_EQ(echoed.Get<int>(0, 0), n + 1);
  }
  const std::int64_t kept = co_await PreparedCount(*connection, "%AS bounded");
  EXPECT_GT(kept, 100);
  EXPECT_LT(kept, 300);
}

TEST(PgConnection, PreparesEachStatementOnce) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, PreparesEachStatementOnce(db.url()));
}

asio::awaitable<void> DetectsTerminatedBackend(std::string url) {
  auto victim = co_await Connect(url);
  auto survivor = co_await Connect(url);
  EXPECT_TRUE(victim->IsAlive());
  mt::ExecSync(url, "SELECT pg_terminate_backend(" + std::to_string(victim->BackendPid()) + ", 10000)");
  EXPECT_FALSE(victim->IsAlive());
  EXPECT_TRUE(survivor->IsAlive());
  const auto lost = co_await mt::Catch<pg::ConnectionLost>(victim->Query("SELECT 1"));
  EXPECT_TRUE(lost.has_value());
  EXPECT_TRUE(victim->IsBroken());
  EXPECT_EQ(victim->GetTransactionState(), pg::TransactionState::kUnknown);
}

TEST(PgConnection, HealthCheckDetectsTerminatedBackend) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, DetectsTerminatedBackend(db.url()));
}

asio::awaitable<void> AbandonedStatementBreaksConnection(std::string url) {
  using namespace asio::experimental::awaitable_operators;
  auto connection = co_await Connect(url);
  const auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor, 50ms);
  auto query = connection->Query("SELECT pg_sleep(30)");
  auto outcome = co_await (std::move(query) || timer.async_wait(asio::use_awaitable));
  EXPECT_EQ(outcome.index(), 1u);
  EXPECT_TRUE(connection->IsBroken());
  EXPECT_FALSE(connection->IsAlive());
}

TEST(PgConnection, AbandonedStatementMarksConnectionBroken) {
  mt::TempDatabase db;
  asio::io_context io;
  mt::Run(io, AbandonedStatementBreaksConnection(db.url()));
}

asio::awaitable<void> SendHuge(pg::Connection* connection, std::shared_ptr<bool> done) {
  const std::string huge(32 * 1024 * 1024, 'x');
  const pg::Result r = co_await connection->Query("SELECT length($1)", huge);
  EXPECT_EQ(r.Get<int>(0, 0), static_cast<int>(huge.size()));
  *done = true;
}

// Runs while the backend is stopped, which it can only do if the query in flight does not block
// the loop; then resumes the backend.
asio::awaitable<void> TickThenResume(std::shared_ptr<std::atomic<int>> stopped_pid,
                                     std::shared_ptr<bool> done) {
  const auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  for (int i = 0; i < 5; ++i) {
    timer.expires_after(20ms);
    co_await timer.async_wait(asio::use_awaitable);
    EXPECT_FALSE(*done);
  }
  ::kill(stopped_pid->exchange(0), SIGCONT);
}

// False when the backend cannot be stopped (the tests do not run as root or postgres).
asio::awaitable<bool> StalledServerDoesNotBlock(std::string url,
                                                std::shared_ptr<std::atomic<int>> stopped_pid) {
  using namespace asio::experimental::awaitable_operators;
  auto connection = co_await Connect(url);
  const int pid = connection->BackendPid();
  if (::kill(pid, SIGSTOP) != 0) co_return false;
  *stopped_pid = pid;
  auto done = std::make_shared<bool>(false);
  // 32 MiB cannot fit in the socket buffers of a stopped reader: sending has to wait for the
  // socket, and then so has receiving.
  co_await (SendHuge(connection.get(), done) && TickThenResume(stopped_pid, done));
  EXPECT_TRUE(*done);
  co_return true;
}

TEST(PgConnection, StalledServerDoesNotBlockTheEventLoop) {
  mt::TempDatabase db;
  asio::io_context io;
  auto stopped_pid = std::make_shared<std::atomic<int>>(0);
  // Resumes the backend if the loop is blocked, so that the test fails instead of hanging.
  std::atomic<bool> finished = false;
  std::atomic<bool> loop_was_blocked = false;
  std::thread watchdog([&] {
    for (int i = 0; i < 100 && !finished; ++i) std::this_thread::sleep_for(100ms);
    if (const int pid = stopped_pid->exchange(0); pid != 0) {
      loop_was_blocked = true;
      ::kill(pid, SIGCONT);
    }
  });
  bool ran = false;
  try {
    ran = mt::Run(io, StalledServerDoesNotBlock(db.url(), stopped_pid));
  } catch (...) {
    finished = true;
    watchdog.join();
    throw;
  }
  finished = true;
  watchdog.join();
  if (!ran) GTEST_SKIP() << "cannot SIGSTOP the PostgreSQL backend from this user";
  EXPECT_FALSE(loop_was_blocked);
}

// A server that accepts TCP connections and never answers.
class SilentServer {
 public:
  SilentServer() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 4) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
      throw std::runtime_error("cannot open a listening socket");
    }
    port_ = ntohs(addr.sin_port);
  }
  ~SilentServer() { ::close(fd_); }
  unsigned short port() const { return port_; }

 private:
  int fd_;
  unsigned short port_ = 0;
};

asio::awaitable<void> ConnectFailures() {
  const auto executor = co_await asio::this_coro::executor;
  const std::string refused =
      "postgresql://someone:sup3rsecret@127.0.0.1:" + std::to_string(mt::FreePort()) + "/nowhere";
  const auto failed = co_await mt::Catch<pg::ConnectionFailed>(pg::Connection::Connect(executor, refused, 10s));
  EXPECT_TRUE(failed.has_value());
  if (failed) {
    EXPECT_TRUE(Contains(failed->what(), "127.0.0.1")) << failed->what();
    EXPECT_FALSE(Contains(failed->what(), "sup3rsecret")) << failed->what();
  }

  SilentServer silent;
  const std::string hanging = "host=127.0.0.1 port=" + std::to_string(silent.port()) + " user=x dbname=y";
  const auto timed_out =
      co_await mt::Catch<pg::ConnectionFailed>(pg::Connection::Connect(executor, hanging, 200ms));
  EXPECT_TRUE(timed_out && Contains(timed_out->what(), "timed out"));

  const auto invalid = co_await mt::Catch<pg::ConnectionFailed>(
      pg::Connection::Connect(executor, "host=x password=sup3rsecret nonsense", 1s));
  EXPECT_TRUE(invalid && !Contains(invalid->what(), "sup3rsecret"));
}

TEST(PgConnection, ConnectFailuresAreConnectionFailed) {
  asio::io_context io;
  mt::Run(io, ConnectFailures());
}

asio::awaitable<void> ConnectsByHostName(std::string url) {
  auto connection = co_await Connect(url);
  const pg::Result r = co_await connection->Query("SELECT 1");
  EXPECT_EQ(r.Get<int>(0, 0), 1);
}

TEST(PgConnection, ResolvesHostNamesWithoutBlocking) {
  std::string url = mt::PgAdminUrl();
  const auto at = url.find("@127.0.0.1:");
  if (at == std::string::npos) GTEST_SKIP() << "test cluster is not on 127.0.0.1";
  url.replace(at + 1, 9, "localhost");
  asio::io_context io;
  mt::Run(io, ConnectsByHostName(url));
}

}  // namespace
