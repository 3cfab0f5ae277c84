#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "platform/messaging/envelope.hpp"
#include "platform/messaging/inbox.hpp"

namespace microstore::pg {
class Transaction;
}

// The events stock consumes, each applied inside the inbox's transaction (its effects, the inbox
// row and the events it emits commit together):
//
//   catalog ProductCreated  → a stock item at 0 free (once per product) + StockLevelChanged
//   order   OrderCreated    → reserve all lines or none: StockReserved | StockReservationFailed
//   order   OrderCancelled  → release a booked reservation (StockReleased), or leave a tombstone
//   payment PaymentFailed   → release a booked reservation (StockReleased)
//
// An unusable payload throws messaging::PoisonEvent (dead-lettered at once). Handlers run
// concurrently: each locks the rows it changes (domain/reservation.hpp, infra/stock_repository.hpp).
// Emitted events carry messaging::CausedBy(the consumed event).
namespace microstore::stock {

// Every subscription of the stock service (for runtime::Service::Consume). `node_id` names this
// process in the events the handlers emit.
std::vector<messaging::EventSubscription> EventSubscriptions(std::string node_id);

boost::asio::awaitable<void> ApplyProductCreated(pg::Transaction& transaction,
                                                 const messaging::Envelope& event, std::string node_id);
// OrderCreated, OrderCancelled and PaymentFailed.
boost::asio::awaitable<void> ApplyReservationEvent(pg::Transaction& transaction,
                                                   const messaging::Envelope& event, std::string node_id);

}  // namespace microstore::stock
