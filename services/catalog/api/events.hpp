#pragma once

#include <boost/asio/awaitable.hpp>
#include <vector>

#include "platform/messaging/envelope.hpp"
#include "platform/messaging/inbox.hpp"

namespace microstore::pg {
class Transaction;
}

// What the catalogue does when another service's event arrives: its payload is read
// (api/json.hpp: an unusable one is a messaging::PoisonEvent, dead-lettered at once) and handed to
// app/, inside the inbox's transaction.
//
//   stock StockLevelChanged → the product's in_stock, when the stock version is newer than the one
//                             it shows (app/availability.hpp); an older one is logged and dropped
namespace microstore::catalog::api {

boost::asio::awaitable<void> OnStockLevelChanged(pg::Transaction& transaction, const messaging::Envelope& event);

// Each handler above with the producer and type it consumes: for runtime::Service::Consume
// (tests: testing::DeliverThroughInbox).
std::vector<messaging::EventSubscription> EventHandlers();

}  // namespace microstore::catalog::api
