#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "platform/pg/errors.hpp"
#include "platform/pg/params.hpp"
#include "platform/pg/result.hpp"

// One libpq connection driven asynchronously on an Asio executor.
//
// Threading: a connection belongs to the executor it was connected on (a service runs one
// io_context on one thread) and is used only from that thread; nothing here locks. One statement
// at a time: do not start a second operation on a connection until the first has completed. No
// operation blocks the event loop (a host name is resolved on Asio's resolver thread, not by
// libpq).
//
// Most code should not hold a Connection directly but go through pg::Pool.
namespace microstore::pg {

enum class TransactionState {
  kIdle,           // no transaction open
  kActive,         // a statement is in flight
  kInTransaction,  // inside BEGIN … (ok so far)
  kInError,        // inside a failed transaction: only ROLLBACK is accepted
  kUnknown,        // the connection is broken
};

struct Notification {
  std::string channel;
  std::string payload;
  int sender_pid = 0;
};

class Connection {
 public:
  // Connects to `conninfo` (a libpq key=value string or postgresql:// URI). Throws
  // ConnectionFailed when the server cannot be reached, rejects the login, or `timeout` passes
  // first. Error messages name the host, never the password.
  static boost::asio::awaitable<std::unique_ptr<Connection>> Connect(boost::asio::any_io_executor executor,
                                                                     std::string conninfo,
                                                                     std::chrono::milliseconds timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one parameterised statement ($1, $2, … bound to `args`, see params.hpp). Throws the
  // pg::Error subclass matching the server's SQLSTATE; after a server error the connection stays
  // usable. ConnectionLost means it is not.
  //
  // Cancelling the awaiting coroutine (Asio per-operation cancellation) abandons the statement
  // and marks the connection broken; to bound a statement's time prefer `statement_timeout`
  // (e.g. conninfo `options=-c%20statement_timeout%3D5s`), which yields QueryCanceled.
  template <typename... Args>
  boost::asio::awaitable<Result> Query(std::string sql, const Args&... args) {
    return Execute(std::move(sql), MakeParams(args...));
  }
  boost::asio::awaitable<Result> Execute(std::string sql, Params params);

  // A statement with parameters (Query, Execute) is prepared on the server the first time this
  // connection runs its SQL text, and later only bound and executed: no parsing or planning again.
  // The first use still takes one round trip (Parse, Bind and Execute in one pipeline). At most
  // `limit` statements are kept; past that, new texts run unprepared. 0 turns preparing off (a
  // pooler in transaction mode that does not track prepared statements).
  static constexpr std::size_t kDefaultPreparedStatements = 256;
  void SetPreparedStatementLimit(std::size_t limit);

  // Runs trusted, constant SQL that may hold several statements separated by ';' (the simple
  // query protocol: no parameters). Meant for migrations and fixtures, never for input.
  boost::asio::awaitable<void> ExecuteScript(std::string sql);

  // Waits until at least one notification for a channel this connection LISTENs on has arrived
  // and returns all that are queued. Throws ConnectionLost when the connection breaks.
  boost::asio::awaitable<std::vector<Notification>> WaitForNotifications();

  // A cheap health check for an idle connection, without a round trip: false when the connection
  // is known broken, or when the server has closed it or sent it a FATAL error (a terminated
  // backend, a server shutdown) since it was last used.
  bool IsAlive();
  // True after a failure that makes the connection unusable.
  bool IsBroken() const;
  TransactionState GetTransactionState() const;
  // The server process id serving this connection (pg_backend_pid()).
  int BackendPid() const;
  const boost::asio::any_io_executor& executor() const;

 private:
  struct Impl;
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace microstore::pg
