#pragma once

#include <boost/asio/awaitable.hpp>
#include <vector>

#include "platform/messaging/envelope.hpp"
#include "platform/messaging/inbox.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Transaction;
}

// What happens when an event stock consumes arrives, inside the inbox's transaction (its
// effects, the inbox row and the events it emits commit together):
//
//   catalog ProductCreated  → a stock item at 0 free (once per product) + StockLevelChanged
//   order   OrderCreated    → reserve all lines or none: StockReserved | StockReservationFailed
//   order   OrderCancelled  → release a booked reservation (StockReleased), or leave a tombstone
//   payment PaymentFailed   → release a booked reservation (StockReleased)
//
// An unusable payload throws messaging::PoisonEvent (dead-lettered at once). Handlers run
// concurrently: each locks the rows it changes (infra/stock_repository.hpp, Locking). Emitted
// events go to `outbox` with messaging::CausedBy(the consumed event).
namespace microstore::stock::api {

boost::asio::awaitable<void> OnProductCreated(const messaging::Outbox& outbox, pg::Transaction& transaction,
                                              const messaging::Envelope& event);
boost::asio::awaitable<void> OnOrderCreated(const messaging::Outbox& outbox, pg::Transaction& transaction,
                                            const messaging::Envelope& event);
boost::asio::awaitable<void> OnOrderCancelled(const messaging::Outbox& outbox, pg::Transaction& transaction,
                                              const messaging::Envelope& event);
boost::asio::awaitable<void> OnPaymentFailed(const messaging::Outbox& outbox, pg::Transaction& transaction,
                                             const messaging::Envelope& event);

// Each handler above with the producer and type it handles (for runtime::Service::Consume);
// `outbox` must outlive them.
std::vector<messaging::EventSubscription> EventHandlers(const messaging::Outbox& outbox);

}  // namespace microstore::stock::api
