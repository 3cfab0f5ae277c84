#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "platform/amqp/messages.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The transactional outbox (R1): events are stored in the `outbox` table in the same transaction
// as the change that emits them, and OutboxRelay (outbox_relay.hpp) publishes them afterwards. An
// event is therefore published if and only if its transaction committed — at least once: a relay
// that dies after the broker confirmed but before it recorded so publishes the event again, and
// consumers de-duplicate (inbox.hpp).
//
// Table (messaging::Migrations()):
//   outbox(id bigserial, event_id uuid UNIQUE, exchange, routing_key, type, correlation_id,
//          body, created_at, sent_at NULL until the broker confirmed)
//
// The functions below are the relay's steps, public so that they can be tested against a real
// database and reused by tools; services only call Append or AppendDrafts.
namespace microstore::messaging {

// The channel that wakes a relay: signalled in-process (pg::Pool::Subscribe) after every
// transaction that appended events has committed; a tool or an operator may also NOTIFY it.
inline constexpr const char* kOutboxChannel = "outbox";

// Stores `events` in the caller's transaction (one multi-row INSERT per 1000 events) and, once
// that transaction has committed, wakes the relays of this process subscribed to kOutboxChannel
// on the same pool (pg::Transaction::NotifyAfterCommit), once however many Appends it made. No
// NOTIFY: PostgreSQL serialises the commits of notifying transactions. Each goes to exchange amqp::ExchangeOf(event.producer) with routing key = its type.
// Nothing is visible to the relay before the caller commits; a rollback leaves no trace.
//
// Throws pg::UniqueViolation (and aborts the transaction) when an event id is already stored,
// pg::Error for an id that is not a UUID, nlohmann::json::type_error for a payload holding invalid
// UTF-8. `transaction` must stay alive until the returned operation completes (await it directly).
boost::asio::awaitable<void> Append(pg::Transaction& transaction, std::vector<Envelope> events);

// Appends `drafts` as a producer's events, in order: each gets a fresh id (core::NewUuid()) and
// `context`, and all share the time `now` (MakeEvent). Same guarantees and errors as Append;
// nothing is done for no drafts.
boost::asio::awaitable<void> AppendDrafts(
    pg::Transaction& transaction, std::vector<EventDraft> drafts, EventContext context, std::string producer,
    std::string node_id, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// A service's way into its outbox: the producer's name (its exchange is
// amqp::ExchangeOf(producer)), the node id that signs its events (Envelope::node_id) and the
// clock that dates them, fixed once so that code emitting events passes none of them around.
// runtime::Service::Outbox() builds the service's own; tests build one with a fixed clock.
class Outbox {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  Outbox(std::string producer, std::string node_id, Clock clock = std::chrono::system_clock::now);

  // AppendDrafts with this producer, node id and the clock's time.
  boost::asio::awaitable<void> Append(pg::Transaction& transaction, std::vector<EventDraft> drafts,
                                      EventContext context) const;

  const std::string& producer() const { return producer_; }
  const std::string& node_id() const { return node_id_; }

 private:
  std::string producer_;
  std::string node_id_;
  Clock clock_;
};

// One stored event on its way to the broker.
struct OutboxRow {
  std::int64_t id = 0;
  std::string event_id;
  std::string exchange;
  std::string routing_key;
  std::string type;
  std::string correlation_id;
  std::string body;
};

// The message the relay publishes for a row: persistent JSON, message id = event id.
amqp::OutgoingMessage ToMessage(const OutboxRow& row);

// Locks and returns up to `limit` unsent rows, oldest first, skipping rows other transactions
// hold locked (FOR UPDATE SKIP LOCKED): concurrent relays never get the same row. The rows stay
// locked until `transaction` ends. Order across relays is not guaranteed (consumers cope, R4).
boost::asio::awaitable<std::vector<OutboxRow>> ClaimUnsent(pg::Transaction& transaction, std::size_t limit);

// Marks the rows sent (sent_at = now) and returns, per row, seconds from its creation to now
// (measured by the database's clock).
boost::asio::awaitable<std::vector<double>> MarkSent(pg::Transaction& transaction,
                                                     std::vector<std::int64_t> ids);

// Deletes up to `limit` rows sent more than `older_than` ago (skipping locked ones); returns how
// many. Unsent rows are never deleted.
boost::asio::awaitable<std::int64_t> DeleteSent(pg::Pool& pool, std::chrono::seconds older_than,
                                                std::size_t limit);

// Number of unsent rows (uses the partial index on unsent rows).
boost::asio::awaitable<std::int64_t> CountUnsent(pg::Pool& pool);

}  // namespace microstore::messaging
