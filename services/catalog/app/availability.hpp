#pragma once

#include <boost/asio/awaitable.hpp>

#include "catalog/domain/availability.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::pg {
class Transaction;
}

namespace microstore::catalog {

// Stock reported a product's availability: the product shows it when it is newer than what the
// product shows (DecideAvailability); an older report is logged and dropped. Runs in the inbox's
// transaction; `cause` is the event's (messaging::CausedBy).
boost::asio::awaitable<void> ApplyStockLevelChanged(pg::Transaction& transaction, Availability reported,
                                                    messaging::EventContext cause);

}  // namespace microstore::catalog
