#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "platform/amqp/consumer.hpp"
#include "platform/amqp/messages.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/pg/pool.hpp"

// The inbox (R2): a consumer records the id of every event it handled in the same transaction as
// the handler's effects, so an event delivered twice (a relay re-publishing, a broker redelivery,
// a replay from the dead-letter queue) has its effect once. The broker message is acknowledged
// only after that transaction committed.
//
// What a delivery becomes (the amqp::Outcome handed back to amqp::Consumer):
//   body is not an envelope (ParseEnvelope)            → kDeadLetter at once, with the parse error
//   schema version newer than known, or no upcast path  → kDeadLetter at once (never guessed; replay
//     or a failing upcaster                                after deploying a consumer that knows it)
//   no handler for its type                             → retried like a failure, then kDeadLetter:
//                                                         during a rolling deploy another replica
//                                                         may already handle it; never dropped
//   already in the inbox                                → kAck, the handler does not run
//   handler returns, commit succeeds                    → kAck
//   handler throws PoisonEvent or nlohmann::json::exception (payload unusable)
//                                                       → kDeadLetter at once
//   handler (or the database) throws anything else      → kRetry with retry_delays[attempts] (the
//                                                         last delay repeats) while
//                                                         attempts + 1 < max_attempts, else kDeadLetter
// Batches: deliveries that arrive while the inbox is busy wait and are then handled together, up
// to max_batch, in one transaction: one inbox INSERT for all, each handler under its own
// savepoint, one commit, then every outcome at once. A handler that fails is rolled back to its
// savepoint (its inbox row too) and gets the outcome above; the others commit. A conflict inside
// a handler, or a batch that cannot commit (the database went away, a serialization failure at
// commit), sends its events one by one through the rules here. At low load a batch is one event.
//
// A serialization failure or deadlock (pg::TransactionRollback) re-runs the whole transaction
// in place up to conflict_retries times before it counts as a failure. An unavailable database
// (pg::ConnectionFailed, ConnectionLost, PoolTimeout) is not the event's fault: the transaction is
// re-run in place with a back-off (100 ms doubling to 5 s) until the database answers, without
// using up attempts, so an outage parks nothing in the dead-letter queue; the delivery stays
// unacknowledged meanwhile. After Stop() such a wait ends as an ordinary failure (kRetry).
//
// Every failure is logged with the event id, type, correlation id, attempts and error. Metrics
// (default registry): inbox_events_total{consumer,type,outcome} with outcome processed, duplicate,
// retried, dead_lettered; inbox_handling_seconds{consumer,type} for processed events. `type` is
// the event type for registered types, "unknown" for others, "unparseable" for non-envelopes.
namespace microstore::messaging {

// A handler applies one event inside the inbox's transaction: it uses `transaction` for every
// read and write (its effects commit or roll back with the inbox entry) and must not commit or
// roll it back itself. The envelope is upcast to Upcasters::Current(type). Handlers run on the
// event loop and must not block.
using EventHandler =
    std::function<boost::asio::awaitable<void>(pg::Transaction& transaction, const Envelope& event)>;

// One kind of event a service reacts to: who publishes it, its type and its handler. A service
// lists them once and hands them to runtime::Service::Consume (its tests, to an Inbox's On).
struct EventSubscription {
  std::string producer;
  std::string type;
  EventHandler handler;
};

// Thrown by a handler for an event that can never succeed (its payload is unusable): the event
// is dead-lettered at once instead of being retried.
class PoisonEvent : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct InboxOptions {
  int max_attempts = 5;  // ≥ 1: attempts before an event is dead-lettered
  // The consumer's retry delays (amqp::ConsumerOptions::retry_delays): a retry names one of them.
  std::vector<std::chrono::milliseconds> retry_delays{std::chrono::seconds(1), std::chrono::seconds(5),
                                                      std::chrono::seconds(30)};
  int conflict_retries = 3;
  // Deliveries waiting while a batch runs are handled together in the next one, up to this many
  // (one transaction, a savepoint per event; see Inbox). 1: every event alone.
  std::size_t max_batch = 64;
  pg::IsolationLevel isolation = pg::IsolationLevel::kReadCommitted;
  // Inbox entries are kept this long, then deleted by the cleanup (Start()). Keep it above the
  // longest time a duplicate can still arrive: the retry path, a relay outage, a replay.
  std::chrono::seconds retention{std::chrono::hours(24 * 7)};
  std::chrono::milliseconds cleanup_interval{std::chrono::minutes(10)};
  std::size_t cleanup_batch = 1000;
};

class Inbox {
 public:
  // `consumer` is the consuming service's name (amqp::ConsumerOptions::consumer), also the key of
  // its inbox rows. Throws std::invalid_argument for max_attempts < 1 or no retry delays.
  Inbox(pg::Pool& pool, std::string consumer, Upcasters upcasters, InboxOptions options = {});
  ~Inbox();
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;

  // Registers the handler of `type` (before consuming starts). Throws std::logic_error when the
  // type already has one.
  void On(std::string type, EventHandler handler);
  // The registered types, sorted (to build amqp::Subscription lists).
  std::vector<std::string> Types() const;

  // The amqp::Consumer handler: calls Handle. The Inbox must outlive the consumer.
  amqp::Handler Handler();
  // Handles one delivery as described above; never throws (except std::bad_alloc).
  boost::asio::awaitable<amqp::Outcome> Handle(amqp::Delivery delivery);

  // Starts / stops the periodic deletion of entries older than `retention`, on the pool's executor.
  // Stop() also ends the waits of deliveries held while the database is unavailable.
  void Start();
  void Stop();

  struct State;  // defined in the .cpp; named here so its helpers can take it

 private:
  std::shared_ptr<State> state_;
};

// Deletes up to `limit` inbox entries of `consumer` processed more than `older_than` ago;
// returns how many.
boost::asio::awaitable<std::int64_t> DeleteProcessed(pg::Pool& pool, std::string consumer,
                                                     std::chrono::seconds older_than, std::size_t limit);

}  // namespace microstore::messaging
