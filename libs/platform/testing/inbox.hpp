#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/amqp/messages.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/messaging/inbox.hpp"

// Feeding events to a service's handlers as the broker would, without a broker: through a real
// messaging::Inbox on the service's (migrated) test database, so de-duplication, poison handling
// and the transaction around each handler are the production ones.
namespace microstore::testing {

// An event as `producer`'s relay would publish it: schema version 1, a fresh id, a correlation id
// of its own, node "<producer>-test-node", made now.
messaging::Envelope ProducedEvent(std::string producer, std::string type, messaging::AggregateRef aggregate,
                                  nlohmann::json payload);

// The delivery the consumer would hand the inbox for `event` (from the producer's exchange).
amqp::Delivery DeliveryOf(const messaging::Envelope& event);

// Hands each event in turn to one Inbox of `consumer` with the handlers of `subscriptions`, on
// the database at `url`; answers each outcome. Blocking; runs on an io_context of its own.
std::vector<amqp::Outcome::Kind> DeliverThroughInbox(const std::string& url, const std::string& consumer,
                                                     const std::vector<messaging::EventSubscription>& subscriptions,
                                                     const std::vector<messaging::Envelope>& events);

// Hands every event to one Inbox at once, as a consumer with a large prefetch does: the handlers
// run interleaved on `connections` database connections (waiting up to two minutes for one).
// Answers each outcome, in the order of `events`. Blocking; runs on an io_context of its own.
std::vector<amqp::Outcome> DeliverConcurrentlyThroughInbox(
    const std::string& url, const std::string& consumer,
    const std::vector<messaging::EventSubscription>& subscriptions,
    const std::vector<messaging::Envelope>& events, std::size_t connections);

}  // namespace microstore::testing
