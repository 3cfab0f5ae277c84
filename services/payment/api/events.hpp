#pragma once

#include <boost/asio/awaitable.hpp>
#include <vector>

#include "payment/app/settings.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/messaging/inbox.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Transaction;
}

// What happens when an event payment consumes arrives: its payload is read (api/json.hpp: an
// unreadable one is a messaging::PoisonEvent, dead-lettered at once) and handed to app/, inside
// the inbox's transaction. Events caused by an event carry its correlation (messaging::CausedBy).
//
//   identity UserRegistered → an account at balance 0 for a CUSTOMER (nothing if it exists)
//   stock    StockReserved  → charge the order's total: PaymentSucceeded or PaymentFailed
//   order    OrderCancelled → refund a captured payment (PaymentRefunded), or leave a VOIDED
//                             tombstone so that a late StockReserved charges nothing
namespace microstore::payment::api {

boost::asio::awaitable<void> OnUserRegistered(const Settings& settings, pg::Transaction& transaction,
                                              const messaging::Envelope& event);
boost::asio::awaitable<void> OnStockReserved(const messaging::Outbox& outbox, const Settings& settings,
                                             pg::Transaction& transaction, const messaging::Envelope& event);
boost::asio::awaitable<void> OnOrderCancelled(const messaging::Outbox& outbox, const Settings& settings,
                                              pg::Transaction& transaction, const messaging::Envelope& event);

// Each handler above with the producer and type it consumes, bound to `outbox` (which must
// outlive them) and a copy of `settings`: for runtime::Service::Consume (tests: an Inbox's On).
std::vector<messaging::EventSubscription> EventHandlers(const messaging::Outbox& outbox,
                                                        const Settings& settings);

}  // namespace microstore::payment::api
