#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "payment/infra/settings.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/messaging/inbox.hpp"

namespace microstore::pg {
class Transaction;
}

// The events payment reacts to, each applied inside the inbox's transaction (the inbox row, the
// changes and the events appended to the outbox commit together). A payload that cannot be read
// throws messaging::PoisonEvent (dead-lettered at once); anything else that fails is retried.
//
//   identity UserRegistered → an account at balance 0 for a CUSTOMER (nothing if it exists)
//   stock    StockReserved  → charge the order's total: PaymentSucceeded or PaymentFailed
//   order    OrderCancelled → refund a captured payment (PaymentRefunded), or leave a VOIDED
//                             tombstone so that a late StockReserved charges nothing
// Events caused by an event carry its correlation (messaging::CausedBy).
namespace microstore::payment {

boost::asio::awaitable<void> OnUserRegistered(Settings settings, pg::Transaction& transaction,
                                              const messaging::Envelope& event);
boost::asio::awaitable<void> OnStockReserved(Settings settings, pg::Transaction& transaction,
                                             const messaging::Envelope& event);
boost::asio::awaitable<void> OnOrderCancelled(Settings settings, pg::Transaction& transaction,
                                              const messaging::Envelope& event);

// The three handlers above bound to `settings`, with the producer and type each consumes: register
// each with runtime::Service::Consume (or messaging::Inbox::On in tests).
std::vector<messaging::EventSubscription> EventSubscriptions(Settings settings);

}  // namespace microstore::payment
