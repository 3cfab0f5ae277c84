#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/pg/connection.hpp"

// A bounded pool of PostgreSQL connections, with transactions.
//
// Threading: a Pool, its connections, handles and transactions belong to the executor given at
// construction (one io_context run by one thread) and are used only from that thread; there are
// no locks. Run CPU-heavy work elsewhere: it stalls every query on the loop.
//
// Lifetime: the Pool must outlive the operations awaited on it. Handles (PooledConnection,
// Transaction) may outlive the Pool: their connection is then closed instead of pooled.
//
// Health: a connection that broke (ConnectionLost, an abandoned statement) is discarded when its
// handle is released, and an idle one the server closed (terminated backend, restart) is found by
// a cheap check on acquire and discarded; the next request connects afresh. A statement that
// failed with ConnectionLost is not retried: whether it ran is unknown.
//
// In-process signals: a transaction can ask (NotifyAfterCommit) that, once it has committed, every
// callback this process subscribed on the same Pool for a channel be called. Unlike NOTIFY inside
// a transaction, which PostgreSQL serialises through one cluster-wide lock held across the commit's
// WAL flush, this costs the database nothing; it reaches only this process (other processes need
// LISTEN/NOTIFY or polling).
//
// Session state: connections are shared, so do not leave session state behind (SET, LISTEN,
// temporary tables); use SET LOCAL inside a transaction instead.
namespace microstore::pg {

struct PoolOptions {
  std::string conninfo;
  std::size_t max_size = 10;
  // How long Acquire may wait for a connection to be free, in FIFO order, before PoolTimeout.
  // Opening a new connection is bounded separately by connect_timeout.
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds connect_timeout{5000};
  // Statements each connection prepares and keeps (Connection::SetPreparedStatementLimit).
  std::size_t prepared_statements = Connection::kDefaultPreparedStatements;
};

// Point-in-time numbers for metrics.
struct PoolStats {
  std::size_t size = 0;     // open or opening connections
  std::size_t idle = 0;     // ready in the pool
  std::size_t in_use = 0;   // held by callers, being opened, or rolling back
  std::size_t waiting = 0;  // Acquire calls queued for a connection
};

namespace detail {
struct PoolState;
}

// Exclusive use of one pooled connection; returns it to the pool on destruction. A connection
// left inside a transaction is rolled back asynchronously before anyone else gets it.
class PooledConnection {
  friend class Transaction;

 public:
  PooledConnection() = default;
  PooledConnection(std::shared_ptr<detail::PoolState> pool, std::unique_ptr<Connection> connection);
  ~PooledConnection();
  PooledConnection(PooledConnection&& other) noexcept = default;
  PooledConnection& operator=(PooledConnection&& other) noexcept;

  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }
  explicit operator bool() const { return connection_ != nullptr; }
  // Returns the connection to the pool now; the handle becomes empty.
  void Release();

 private:
  std::shared_ptr<detail::PoolState> pool_;
  std::unique_ptr<Connection> connection_;
};

enum class IsolationLevel { kReadCommitted, kRepeatableRead, kSerializable };

struct TransactionOptions {
  IsolationLevel isolation = IsolationLevel::kReadCommitted;
  bool read_only = false;
};

// An open transaction on a pooled connection. Commit() or Rollback() ends it and returns the
// connection to the pool; a Transaction destroyed before either (an exception, an early return)
// is rolled back.
//
// A statement that fails inside a transaction aborts it (the server ignores further statements);
// Commit() on such a transaction throws pg::Error with SQLSTATE 25P02 rather than reporting a
// commit that did not happen. Under kSerializable, Commit() itself may throw
// SerializationFailure: re-run the whole transaction. Any use after Commit() or Rollback() has
// begun throws std::logic_error.
class Transaction {
 public:
  // Adopts a connection on which BEGIN has run; Pool::Begin does this.
  explicit Transaction(PooledConnection connection);
  Transaction(Transaction&&) noexcept = default;
  Transaction& operator=(Transaction&&) noexcept = default;
  ~Transaction() = default;

  template <typename... Args>
  boost::asio::awaitable<Result> Query(std::string sql, const Args&... args) {
    return Execute(std::move(sql), MakeParams(args...));
  }
  boost::asio::awaitable<Result> Execute(std::string sql, Params params);
  // See Connection::ExecuteScript.
  boost::asio::awaitable<void> ExecuteScript(std::string sql);

  // After this transaction has committed (not if it fails or rolls back), calls the callbacks
  // subscribed to `channel` on its pool (Pool::Subscribe); once per channel, however often asked.
  void NotifyAfterCommit(std::string channel);

  boost::asio::awaitable<void> Commit();
  boost::asio::awaitable<void> Rollback();

  // The underlying connection while the transaction is open.
  Connection& connection();

 private:
  Connection& Open();

  PooledConnection connection_;
  std::vector<std::string> notify_after_commit_;
};

// A callback subscribed to a pool's in-process channel; unsubscribes when destroyed.
class Subscription {
 public:
  Subscription() = default;
  Subscription(std::weak_ptr<detail::PoolState> pool, std::uint64_t id);
  ~Subscription();
  Subscription(Subscription&& other) noexcept;
  Subscription& operator=(Subscription&& other) noexcept;
  void Cancel();

 private:
  std::weak_ptr<detail::PoolState> pool_;
  std::uint64_t id_ = 0;
};

class Pool {
 public:
  Pool(boost::asio::any_io_executor executor, PoolOptions options);
  // Closes idle connections and fails queued Acquire calls with pg::Error.
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // An idle healthy connection, else a new one while fewer than max_size exist, else the next
  // one released, waiting in FIFO order up to acquire_timeout (then PoolTimeout). Throws
  // ConnectionFailed when a new connection cannot be opened.
  boost::asio::awaitable<PooledConnection> Acquire();

  // Runs one statement on a pooled connection (autocommit).
  template <typename... Args>
  boost::asio::awaitable<Result> Query(std::string sql, const Args&... args) {
    return Execute(std::move(sql), MakeParams(args...));
  }
  boost::asio::awaitable<Result> Execute(std::string sql, Params params);

  // Acquires a connection and runs BEGIN with the given isolation level (READ COMMITTED unless
  // told otherwise, whatever the server's default).
  boost::asio::awaitable<Transaction> Begin(TransactionOptions options = {});
  boost::asio::awaitable<Transaction> Begin(IsolationLevel isolation) {
    return Begin(TransactionOptions{.isolation = isolation});
  }

  // Calls `callback` on the pool's thread each time a transaction of this pool that asked
  // NotifyAfterCommit(channel) has committed, until the Subscription is destroyed.
  [[nodiscard]] Subscription Subscribe(std::string channel, std::function<void()> callback);

  PoolStats Stats() const;
  const boost::asio::any_io_executor& executor() const;

 private:
  std::shared_ptr<detail::PoolState> state_;
};

}  // namespace microstore::pg
