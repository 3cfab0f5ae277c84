#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "platform/amqp/messages.hpp"

namespace microstore::amqp {

struct Subscription {
  std::string producer;    // the producing service; its exchange is ExchangeOf(producer)
  std::string event_type;  // the routing key
};

struct ConsumerOptions {
  std::string url;
  std::string consumer;  // the consuming service: its queues are QueueOf(consumer) and friends
  std::vector<Subscription> subscriptions;
  int prefetch = 64;  // deliveries handed out and not yet settled
  // Delays of the retry path, shortest first; a retry names one of them.
  std::vector<std::chrono::milliseconds> retry_delays{std::chrono::seconds(1), std::chrono::seconds(5),
                                                      std::chrono::seconds(30)};
  std::chrono::seconds heartbeat{10};
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{5'000};
};

// The handler runs on the event loop given at construction, once per delivery, up to `prefetch`
// at a time. Its Outcome is carried out by the consumer's own thread: kAck acks; kRetry publishes
// a copy (with x-microstore-attempts + 1 and the error) to the retry queue and acks the original
// only once that publish is confirmed; kDeadLetter does the same towards the dead-letter queue.
// So a message is never lost between queues, and may at worst be duplicated (which the inbox
// absorbs). A handler that throws counts as kRetry with the exception's message.
using Handler = std::function<boost::asio::awaitable<Outcome>(Delivery)>;

// Consumes the service's queue over its own connection and thread, declaring the whole topology
// of the consumer (queue, bindings, retry queues, dead-letter queue) on every connect, and
// reconnecting with back-off after the broker restarts. Unsettled deliveries of a lost connection
// are redelivered by the broker.
class Consumer {
 public:
  // Throws std::invalid_argument for a bad URL, an empty consumer name or retry delay list, or a
  // prefetch outside 1..65535.
  Consumer(boost::asio::any_io_executor executor, ConsumerOptions options, Handler handler);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  void Start();
  // Stops taking deliveries; deliveries being handled are not acked (the broker redelivers them).
  void Stop();
  bool Connected() const;

  struct State;  // defined in the .cpp; named here so its helpers can take it

 private:
  std::shared_ptr<State> state_;
};

// How far one QueueAdmin::Move goes.
struct MoveOptions {
  std::size_t max = std::numeric_limits<std::size_t>::max();  // copies published at most
  // Set as kReplayHeader (amqp/failure_headers.hpp) on every copy. A message of `from` that
  // already carries this value is a copy of this same move that failed again and came back: it
  // is left where it is. Empty: no mark.
  std::string mark{};
  // Checked between messages: once a stop is requested the move ends early with what it did.
  std::stop_token stop{};
};

struct MoveResult {
  std::size_t moved = 0;
  std::size_t remaining = 0;  // messages in `from` (ready) when the move ended
};

// Looks into and moves messages between queues, for the dead-letter endpoints and for tests, over
// a connection of its own. Blocking: call it from a worker thread or a test, never from the event
// loop.
class QueueAdmin {
 public:
  explicit QueueAdmin(std::string url);  // connects; throws std::runtime_error when it cannot
  ~QueueAdmin();
  // Publishes with confirm; throws PublishError when not confirmed.
  void Publish(const OutgoingMessage& message);
  // Publishes them all, then waits for every confirm; throws PublishError when any is not confirmed.
  void Publish(const std::vector<OutgoingMessage>& messages);
  // Up to `max` messages of `queue`, left in the queue (marked redelivered), fewer when `stop` is
  // requested. Returns once they are back (quorum queues take them back asynchronously), or after
  // at most two seconds.
  std::vector<Delivery> Peek(const std::string& queue, std::size_t max, std::stop_token stop = {});
  // Moves messages of `from` that `select` accepts to queue `to` (through the default exchange),
  // with the attempts header reset to 0. Only the messages in `from` when it starts are looked at,
  // each once, so a copy that fails and comes back during the move is not moved again (and
  // options.mark says so for certain). The copies go out in batches; each batch is confirmed
  // before its originals are removed from `from`, so a message is never lost (at worst both
  // copies remain, when the move fails between the two). Throws std::invalid_argument when
  // from == to.
  MoveResult Move(const std::string& from, const std::string& to,
                  const std::function<bool(const Delivery&)>& select, const MoveOptions& options = {});
  // Takes up to `max` messages off `queue` (acked): for tests.
  std::vector<Delivery> Drain(const std::string& queue, std::size_t max);
  std::size_t MessageCount(const std::string& queue);
  void DeleteQueue(const std::string& queue);
  void DeleteExchange(const std::string& exchange);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace microstore::amqp
