#pragma once

#include <boost/asio/awaitable.hpp>
#include <vector>

#include "platform/messaging/envelope.hpp"
#include "platform/messaging/inbox.hpp"

namespace microstore::pg {
class Transaction;
}

// What happens when one of identity's events arrives (producer "identity", exchange
// microstore.identity): its payload is read (api/json.hpp: an unusable one is a
// messaging::PoisonEvent, dead-lettered at once) and recorded by app/revocations.hpp in the
// inbox's transaction, which notifies every replica.
//
//   TokenRevoked → the token is refused by every replica until it would have expired anyway
//   UserDisabled → every token of the user is refused, unless a later version enabled them
//   UserEnabled  → the user's tokens are accepted again, unless a later version disabled them
namespace microstore::gateway::api {

boost::asio::awaitable<void> OnTokenRevoked(pg::Transaction& transaction, const messaging::Envelope& event);
boost::asio::awaitable<void> OnUserDisabled(pg::Transaction& transaction, const messaging::Envelope& event);
boost::asio::awaitable<void> OnUserEnabled(pg::Transaction& transaction, const messaging::Envelope& event);

// Each handler above with the producer and type it consumes: for runtime::Service::Consume
// (tests: testing::DeliverThroughInbox).
std::vector<messaging::EventSubscription> EventHandlers();

}  // namespace microstore::gateway::api
