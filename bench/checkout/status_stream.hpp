#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

// The order status stream as the checkout benchmark watches it: every OrderStatusChanged the order
// service publishes, read off a queue of the benchmark's own, without polling any API.
namespace microstore::bench {

struct StatusChange {
  std::string order_id;
  std::string status;
  std::string reason;  // empty when the event has none
  std::chrono::steady_clock::time_point received;
};

// Binds a server-named, exclusive, non-durable queue to exchange `exchange` (routing key
// `routing_key`) and consumes it without acknowledgements on a thread of its own, so that watching
// adds no disk writes and no acks to the broker being measured. `on_change` runs on that thread.
// Start() throws std::runtime_error when it cannot connect, declare or bind (the exchange must
// exist: it does once its producer is ready). A message that is not a status change is counted and
// skipped.
class StatusStream {
 public:
  using Callback = std::function<void(StatusChange)>;

  StatusStream(std::string amqp_url, std::string exchange, std::string routing_key, Callback on_change);
  ~StatusStream();  // Stop()
  StatusStream(const StatusStream&) = delete;
  StatusStream& operator=(const StatusStream&) = delete;

  void Start();
  void Stop();
  // The text of the error that ended the consuming thread; empty while it runs fine.
  std::string Error() const;
  std::uint64_t skipped() const { return skipped_.load(); }

 private:
  struct Connection;

  void Consume();

  std::string amqp_url_;
  std::string exchange_;
  std::string routing_key_;
  Callback on_change_;
  std::unique_ptr<Connection> connection_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> skipped_{0};
  mutable std::mutex mutex_;
  std::string error_;  // guarded by mutex_
};

}  // namespace microstore::bench
