#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/amqp/messages.hpp"

namespace microstore::amqp {
class Publisher;
}
namespace microstore::pg {
class Pool;
}

namespace microstore::messaging {

struct RelayOptions {
  std::size_t batch_size = 500;  // rows claimed and published per round (at most)
  // Rounds under way at once while a backlog drains, each in its own transaction (and pooled
  // connection): the next batch is claimed and published while earlier ones wait for the
  // broker's confirms, are marked and commit. Claims are taken one after another and published in
  // claim order, so one relay still publishes oldest first (unless a round fails and is retried).
  // 1: one round at a time. See docs/benchmarks.md ("Messaging") for how these two were chosen.
  std::size_t rounds_in_flight = 3;
  // libpq conninfo for LISTEN outbox (normally the service's database URL), so that a tool or an
  // operator can wake the relay with NOTIFY outbox. Empty: no LISTEN.
  std::string listener_conninfo{};
  // Fallback polling, for rows no signal announced: appended by another process (a replica whose
  // relay is down), or left unsent by a failed round of another replica.
  std::chrono::milliseconds poll_interval{1000};
  // After a failed round (broker down, database unreachable): wait, doubling up to max.
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  // Sent rows are kept this long (to answer "was it published, when?"), then deleted by a
  // periodic cleanup in batches of `cleanup_batch`.
  std::chrono::seconds cleanup_after{std::chrono::hours(24)};
  std::chrono::milliseconds cleanup_interval{std::chrono::minutes(1)};
  std::size_t cleanup_batch = 1000;
  // How often the outbox_backlog gauge is refreshed with a count of unsent rows.
  std::chrono::milliseconds backlog_interval{5000};
};

// Publishes the outbox (outbox.hpp) to the broker. Each round, in one transaction:
//   claim up to batch_size unsent rows (FOR UPDATE SKIP LOCKED) → publish them and wait for the
//   broker's confirms → mark them sent → commit.
// While a backlog drains, up to rounds_in_flight rounds overlap: the next claim runs while earlier
// rounds wait for their confirms; SKIP LOCKED keeps their rows apart.
// So a row is marked sent only after the broker confirmed it; relays in several replicas never
// publish the same row at the same time; and a relay that dies between confirm and commit leaves
// its rows unsent, to be published again (consumers de-duplicate: at least once).
//
// The relay is woken in-process when a transaction of its pool that appended events has committed
// (Append asks pg::Transaction::NotifyAfterCommit), by NOTIFY outbox from elsewhere and on every
// (re)connect of its listener; it polls every poll_interval only as a fallback. It keeps going while rounds come back
// full. A failed round (PublishError, database errors) is rolled back and retried after a back-off;
// notifications do not shorten the back-off.
//
// Metrics (default registry): outbox_backlog (gauge, unsent rows), outbox_published_total
// (counter), outbox_relay_lag_seconds (histogram, row created → broker confirmed).
//
// Threading: everything runs on `executor`'s thread. The pool (and publisher) must outlive the
// relay and any round still in flight after Stop().
class OutboxRelay {
 public:
  // Publishes a batch and completes once the broker confirmed all of it; throws otherwise.
  using Publish = std::function<boost::asio::awaitable<void>(std::vector<amqp::OutgoingMessage>)>;

  OutboxRelay(boost::asio::any_io_executor executor, pg::Pool& pool, Publish publish, RelayOptions options);
  // Publishes through `publisher` (amqp::Publisher::PublishConfirmed).
  OutboxRelay(boost::asio::any_io_executor executor, pg::Pool& pool, amqp::Publisher& publisher,
              RelayOptions options);
  ~OutboxRelay();  // Stop()
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Starts listening, relaying, cleaning up and counting the backlog, in the background (call
  // from the executor's thread or before it runs). Later calls do nothing.
  void Start();
  // Stops for good: no new round starts; a round in flight finishes (or fails) on its own.
  void Stop();

  // One round now, outside the background loop: returns how many rows it published. Throws what
  // the publish or the database threw (the round is then rolled back).
  boost::asio::awaitable<std::size_t> RelayOnce();

  struct State;  // defined in the .cpp; named here so its helpers can take it

 private:
  std::shared_ptr<State> state_;
};

}  // namespace microstore::messaging
