#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "platform/amqp/messages.hpp"

namespace microstore::amqp {

// The broker did not confirm a batch: a message was nacked or returned, or the connection broke
// before every confirm arrived. Nothing of the batch may be treated as delivered (some may have
// been; consumers de-duplicate).
class PublishError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PublisherOptions {
  std::string url;                                   // amqp://...
  std::vector<std::string> exchanges;                // producer exchanges to declare (ExchangeOf(service))
  std::chrono::seconds heartbeat{10};
  std::chrono::milliseconds confirm_timeout{10'000};  // a batch not confirmed by then fails
  std::chrono::milliseconds min_backoff{100};         // reconnect back-off, doubling, with jitter
  std::chrono::milliseconds max_backoff{5'000};
};

// Publishes with publisher confirms over its own connection, owned by a thread of its own (a
// rabbitmq-c connection is blocking and not thread-safe), reconnecting with back-off after the
// broker restarts and declaring its exchanges on every connect.
//
// Called from the event loop given at construction; completions resume there.
class Publisher {
 public:
  // Throws std::invalid_argument for a bad URL.
  Publisher(boost::asio::any_io_executor executor, PublisherOptions options);
  ~Publisher();  // stops the thread
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  // Publishes every message (all in flight at once, not one confirm at a time) and completes when
  // the broker has confirmed all of them. Throws PublishError otherwise. Batches are published in
  // call order, each without waiting for the confirms of earlier ones (up to 16 batches in flight),
  // so concurrent callers share the broker's confirm latency; each completes on its own confirms.
  boost::asio::awaitable<void> PublishConfirmed(std::vector<OutgoingMessage> batch);

  // True while connected and topology is declared (readiness).
  bool Connected() const;

  struct State;  // defined in the .cpp; named here so its helpers can take it

 private:
  std::shared_ptr<State> state_;
};

}  // namespace microstore::amqp
