#include "platform/testing/inbox.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "platform/amqp/messages.hpp"
#include "platform/core/ids.hpp"
#include "platform/pg/pool.hpp"
#include "platform/testing/testing.hpp"

namespace microstore::testing {
namespace {

boost::asio::awaitable<void> HandleOne(messaging::Inbox* inbox, amqp::Delivery delivery,
                                       amqp::Outcome* outcome) {
  amqp::Outcome result = co_await inbox->Handle(std::move(delivery));
  *outcome = std::move(result);
}

}  // namespace

messaging::Envelope ProducedEvent(std::string producer, std::string type, messaging::AggregateRef aggregate,
                                  nlohmann::json payload) {
  std::string id = core::NewUuid();
  messaging::EventContext context{"corr-" + id, "", ""};
  std::string node_id = producer + "-test-node";
  return messaging::MakeEvent(std::move(type), 1, std::move(aggregate), std::move(payload),
                              std::move(context), std::move(producer), std::move(node_id), std::move(id),
                              std::chrono::system_clock::now());
}

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

std::vector<amqp::Outcome> DeliverConcurrentlyThroughInbox(
    const std::string& url, const std::string& consumer,
    const std::vector<messaging::EventSubscription>& subscriptions,
    const std::vector<messaging::Envelope>& events, std::size_t connections) {
  boost::asio::io_context io;
  pg::Pool pool(io.get_executor(),
                {.conninfo = url, .max_size = connections, .acquire_timeout = std::chrono::minutes(2)});
  messaging::Inbox inbox(pool, consumer, {});
  for (const auto& subscription : subscriptions) inbox.On(subscription.type, subscription.handler);
  std::vector<amqp::Outcome> outcomes(events.size(),
                                      {.kind = amqp::Outcome::Kind::kRetry, .error = "not handled"});
  for (std::size_t i = 0; i < events.size(); ++i) {
    boost::asio::co_spawn(io, HandleOne(&inbox, DeliveryOf(events[i]), &outcomes[i]),
                          [](const std::exception_ptr& error) {
                            if (error) std::rethrow_exception(error);
                          });
  }
  io.run();
  return outcomes;
}

}  // namespace microstore::testing
