#include "testing/inbox.hpp"

#include <boost/asio/io_context.hpp>

#include "amqp/messages.hpp"
#include "pg/pool.hpp"
#include "testing/testing.hpp"

namespace microstore::testing {

amqp::Delivery DeliveryOf(const messaging::Envelope& event) {
  amqp::Delivery delivery;
  delivery.exchange = amqp::ExchangeOf(event.producer);
  delivery.routing_key = event.type;
  delivery.message_id = event.id;
  delivery.type = event.type;
  delivery.correlation_id = event.correlation_id;
  delivery.body = messaging::ToJson(event);
  return delivery;
}

std::vector<amqp::Outcome::Kind> DeliverThroughInbox(const std::string& url, const std::string& consumer,
                                                     const std::vector<messaging::EventSubscription>& subscriptions,
                                                     const std::vector<messaging::Envelope>& events) {
  boost::asio::io_context io;
  pg::Pool pool(io.get_executor(), {.conninfo = url, .max_size = 2});
  messaging::Inbox inbox(pool, consumer, {});
  for (const auto& subscription : subscriptions) inbox.On(subscription.type, subscription.handler);
  std::vector<amqp::Outcome::Kind> outcomes;
  for (const auto& event : events) {
    outcomes.push_back(Run(io, inbox.Handle(DeliveryOf(event))).kind);
  }
  return outcomes;
}

}  // namespace microstore::testing
