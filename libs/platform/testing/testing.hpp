#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <functional>
#include <string>

// Helpers for tests at every depth. Tests that need servers read their addresses from the
// environment that `./microstore test` sets up; run outside it they fail and say so.
namespace microstore::testing {

// Runs `task` on `io` until the io_context has no more work; returns the task's value or
// rethrows its exception.
template <typename T>
T Run(boost::asio::io_context& io, boost::asio::awaitable<T> task) {
  auto future = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.restart();
  io.run();
  return future.get();
}

// The value of a required test environment variable; fails the test (and throws) when unset.
std::string RequireEnv(const char* name);

// Admin URL of the throw-away PostgreSQL cluster (MICROSTORE_TEST_PG_URL).
std::string PgAdminUrl();

// A fresh, empty database on the test cluster, dropped (with its connections) on destruction.
class TempDatabase {
 public:
  TempDatabase();
  ~TempDatabase();
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  const std::string& name() const { return name_; }
  // A libpq connection URI for the database.
  const std::string& url() const { return url_; }

 private:
  std::string name_;
  std::string url_;
};

// Runs one statement synchronously on `url` (test set-up and inspection only).
void ExecSync(const std::string& url, const std::string& sql);
// Runs a query synchronously and returns the first column of the first row ("" when no row).
std::string QueryValueSync(const std::string& url, const std::string& sql);

// A TCP port on 127.0.0.1 that was free a moment ago.
unsigned short FreePort();

// Polls `condition` (every 20 ms, blocking) until it holds or `timeout` passes; answers whether it
// held. For effects that travel between processes (events, replicas); in-process asynchronous
// code uses WaitUntil (testing/async.hpp).
bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = std::chrono::seconds(15));

}  // namespace microstore::testing
