#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/pg/connection.hpp"

// LISTEN/NOTIFY on a dedicated connection that outlives server restarts.
//
// Delivery is at most once and only while connected: a notification sent while the listener is
// disconnected (server restart, killed backend, network) is lost. Hence `on_connected`, called
// after every successful (re)connect once the LISTENs are in place: use it to poll for anything
// that may have been missed (e.g. scan the outbox). Notifications are hints to go and look, never
// the data itself.
//
// Threading: like Pool, a Listener belongs to its executor's single thread; the callbacks run on
// it and must not block. An exception thrown by a callback is logged and swallowed.
namespace microstore::pg {

namespace detail {
struct ListenerState;
}

struct ListenerOptions {
  std::string conninfo;
  // Channel names as given to pg_notify (case-sensitive; quoted for LISTEN here).
  std::vector<std::string> channels;
  std::chrono::milliseconds connect_timeout{5000};
  // Reconnect back-off: doubles from min to max, with jitter.
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
};

class Listener {
 public:
  using NotificationHandler = std::function<void(const Notification&)>;
  using ConnectedHandler = std::function<void()>;

  // Throws std::invalid_argument for an empty channel name.
  Listener(boost::asio::any_io_executor executor, ListenerOptions options,
           NotificationHandler on_notification, ConnectedHandler on_connected = {});
  // Stops; no callback runs after destruction.
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Starts connecting and listening in the background, on the executor's thread (call it from
  // that thread, or before the io_context runs). Later calls do nothing.
  void Start();
  // Stops for good: closes the connection (asynchronously) and calls no callback afterwards.
  void Stop();
  // True while connected and listening.
  bool Connected() const;

 private:
  std::shared_ptr<detail::ListenerState> state_;
};

class Pool;

// Sends a notification (SELECT pg_notify($1, $2)) on a pooled connection. Inside a transaction use
// Transaction::Query("SELECT pg_notify($1, $2)", …) instead: the server then delivers it on commit.
boost::asio::awaitable<void> Notify(Pool& pool, std::string channel, std::string payload);

}  // namespace microstore::pg
