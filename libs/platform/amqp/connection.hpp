#pragma once

// clang-format off
#include <sys/time.h>  // rabbitmq-c's headers use struct timeval without including it
#include <amqp.h>
// clang-format on

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "platform/amqp/messages.hpp"

// Internal to amqp/: what Publisher, Consumer and QueueAdmin share. A blocking rabbitmq-c
// connection (not thread-safe: one owner thread) that copies everything it receives out of
// rabbitmq-c's buffers at once, the worker thread that owns one, and the topology every
// connection declares.
namespace microstore::amqp::detail {

// The connection cannot be used any more (socket error, heartbeat timeout, the broker closed it).
// Other failures (the broker closed a channel, refused a declaration) are std::runtime_error;
// the owners drop the connection for those too.
class ConnectionLost : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A queue or exchange argument: a long string or a signed 64-bit integer.
struct Argument {
  std::string key;
  std::variant<std::string, std::int64_t> value;
};
using Arguments = std::vector<Argument>;

// Something the broker sent: a method, or for basic.deliver / basic.return a whole message.
struct Incoming {
  amqp_channel_t channel = 0;
  amqp_method_number_t method = 0;
  std::uint64_t delivery_tag = 0;  // basic.ack / basic.nack / basic.deliver
  bool multiple = false;           // basic.ack / basic.nack
  Delivery message;                // basic.deliver / basic.return
  std::string reply_text;          // basic.return
};

class Connection {
 public:
  // Connects and logs in (throws ConnectionLost). `on_socket` is told the socket's descriptor as
  // soon as it exists and -1 before it is closed, so that another thread may shut it down.
  Connection(const BrokerAddress& address, std::chrono::seconds heartbeat,
             std::function<void(int)> on_socket = {});
  // Closes the socket without the closing handshake.
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The closing handshake, waiting at most a second for the broker; never throws.
  void Close() noexcept;

  void OpenChannel(amqp_channel_t channel);
  void CloseChannel(amqp_channel_t channel);
  void ConfirmSelect(amqp_channel_t channel);
  void Qos(amqp_channel_t channel, std::uint16_t prefetch);
  void Consume(amqp_channel_t channel, const std::string& queue);
  void DeclareExchange(amqp_channel_t channel, const std::string& name, const char* type,
                       const Arguments& arguments);
  void DeleteExchange(amqp_channel_t channel, const std::string& name);
  // Returns the number of ready messages. Passive: only checks that the queue exists.
  std::uint32_t DeclareQueue(amqp_channel_t channel, const std::string& name, const Arguments& arguments,
                             bool passive = false);
  void BindQueue(amqp_channel_t channel, const std::string& queue, const std::string& exchange,
                 const std::string& routing_key);
  void DeleteQueue(amqp_channel_t channel, const std::string& name);

  // Persistent, application/json.
  void Publish(amqp_channel_t channel, const OutgoingMessage& message, bool mandatory);
  void Ack(amqp_channel_t channel, std::uint64_t delivery_tag, bool multiple = false);
  void Nack(amqp_channel_t channel, std::uint64_t delivery_tag, bool requeue);
  // basic.get; nullopt when the queue is empty.
  std::optional<Delivery> Get(amqp_channel_t channel, const std::string& queue, bool no_ack);

  // Blocks until something may be read, `wake_fd` (when >= 0) becomes readable, or `timeout`
  // passes; returns at once when rabbitmq-c holds unread data already.
  void Wait(int wake_fd, std::chrono::milliseconds timeout);
  // The next complete method or message when it can be had without blocking. Also sends the
  // heartbeats that are due, so call it at least every heartbeat / 2.
  std::optional<Incoming> TryRead();

 private:
  struct Content {
    Incoming incoming;
    std::uint64_t body_size = 0;
    bool header_seen = false;
  };

  void Check(const char* what);
  void Check(const amqp_rpc_reply_t& reply, const char* what);
  void CheckStatus(int status, const char* what);
  std::optional<Incoming> Accept(const amqp_frame_t& frame);
  void Destroy() noexcept;

  amqp_connection_state_t state_ = nullptr;
  std::function<void(int)> on_socket_;
  std::map<amqp_channel_t, Content> contents_;  // messages whose content frames are still arriving
};

// Copies message properties into `delivery` (message id, type, correlation id, scalar headers as
// text, attempts).
void ReadProperties(const amqp_basic_properties_t& properties, Delivery& delivery);

// The fanout exchange microstore.unrouted with its queue, and a producer's topic exchange whose
// alternate exchange it is. Declared identically by publishers and consumers.
void DeclareUnrouted(Connection& connection, amqp_channel_t channel);
void DeclareProducerExchange(Connection& connection, amqp_channel_t channel, const std::string& exchange);

// The thread a Publisher or Consumer keeps its connection on, and how others reach it: an
// eventfd that the thread polls together with its socket, and a way to unblock a send to a broker
// that stopped reading (it blocks inside rabbitmq-c, which has no send timeout).
class Worker {
 public:
  Worker();
  ~Worker();  // Stop()
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void Start(std::function<void()> body);
  // Asks the thread to finish and joins it. A thread still busy after `grace` gets its socket
  // shut down, which fails whatever rabbitmq-c call it is blocked in.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(2));
  bool Stopping() const { return stopping_.load(); }

  // Any thread.
  void Wake();
  void ShutdownSocket();
  // The worker thread.
  int wake_fd() const { return event_fd_; }
  void ClearWake();
  void SetSocket(int fd);
  // Sleeps for `duration` or until woken.
  void Sleep(std::chrono::milliseconds duration);

 private:
  int event_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable exited_cv_;
  bool exited_ = false;  // guarded by mutex_
  int socket_ = -1;      // guarded by mutex_
};

// Reconnect delays: doubling from `min` to `max`, each drawn uniformly from [d/2, d].
class Backoff {
 public:
  Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max);
  std::chrono::milliseconds Next();
  void Reset() { current_ = min_; }

 private:
  std::chrono::milliseconds min_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds current_;
  std::minstd_rand random_{std::random_device{}()};
};

// Paces a worker thread's connection attempts: an attempt when one is due, and after a failed
// attempt or a lost connection the next one only after a back-off; a success resets it.
class Reconnector {
 public:
  using Clock = std::chrono::steady_clock;
  Reconnector(std::chrono::milliseconds min, std::chrono::milliseconds max) : backoff_(min, max) {}

  // Runs `connect` if an attempt is due. Returns the error of a failed attempt (the next is then
  // scheduled), nullopt when it succeeded or was not due.
  template <typename Connect>
  std::optional<std::string> TryConnect(Connect&& connect) {
    if (Clock::now() < next_attempt_) return std::nullopt;
    try {
      connect();
      backoff_.Reset();
      return std::nullopt;
    } catch (const std::exception& e) {
      Lost();
      return e.what();
    }
  }
  // The connection broke: wait out a back-off before the next attempt.
  void Lost() {
    last_delay_ = backoff_.Next();
    next_attempt_ = Clock::now() + last_delay_;
  }
  Clock::time_point next_attempt() const { return next_attempt_; }
  std::chrono::milliseconds last_delay() const { return last_delay_; }

 private:
  Backoff backoff_;
  Clock::time_point next_attempt_ = Clock::now();
  std::chrono::milliseconds last_delay_{0};
};

// How long a worker may sleep between calls into rabbitmq-c so that heartbeats keep flowing.
std::chrono::milliseconds ServiceInterval(std::chrono::seconds heartbeat);

}  // namespace microstore::amqp::detail
