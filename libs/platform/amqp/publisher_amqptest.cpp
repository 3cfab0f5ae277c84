// Publisher against the shared test broker: confirms, routing, and failing rather than hanging.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <iostream>
#include <set>

#include "platform/amqp/consumer.hpp"
#include "platform/amqp/publisher.hpp"
#include "platform/testing/amqp.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace amqp = microstore::amqp;
namespace mt = microstore::testing;
using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr const char* kType = "thing.happened";

amqp::OutgoingMessage Event(const std::string& producer, const std::string& id, std::size_t size = 64) {
  std::string body = R"({"id":")" + id + R"(","pad":")";
  body.append(size > body.size() + 2 ? size - body.size() - 2 : 0, 'x');
  body += "\"}";
  return amqp::OutgoingMessage{.exchange = amqp::ExchangeOf(producer),
                               .routing_key = kType,
                               .message_id = id,
                               .type = kType,
                               .correlation_id = "corr-" + id,
                               .body = std::move(body),
                               .headers = {{"x-test", "yes"}}};
}

struct Seen {
  std::set<std::string> ids;
  amqp::Delivery last;
};

asio::awaitable<amqp::Outcome> Record(Seen* seen, amqp::Delivery delivery) {
  seen->ids.insert(delivery.message_id);
  seen->last = std::move(delivery);
  co_return amqp::Outcome{};
}

asio::awaitable<void> ThousandConfirmedAndConsumed(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  const std::string producer = mt::UniqueName("producer");
  const std::string consumer_name = mt::UniqueName("consumer");
  const std::vector<std::chrono::milliseconds> delays{1s};
  mt::AmqpCleanup cleanup(url);
  cleanup.Producer(producer);
  cleanup.Consumer(consumer_name, delays);

  Seen seen;
  Seen* s = &seen;
  amqp::ConsumerOptions consumer_options{.url = url,
                                         .consumer = consumer_name,
                                         .subscriptions = {{producer, kType}},
                                         .prefetch = 200,
                                         .retry_delays = delays};
  amqp::Consumer consumer(executor, consumer_options,
                          [s](amqp::Delivery delivery) { return Record(s, std::move(delivery)); });
  consumer.Start();
  amqp::PublisherOptions publisher_options{.url = url, .exchanges = {amqp::ExchangeOf(producer)}};
  amqp::Publisher publisher(executor, publisher_options);
  const amqp::Consumer* c = &consumer;
  const amqp::Publisher* p = &publisher;
  co_await mt::WaitUntil([c, p] { return c->Connected() && p->Connected(); });

  constexpr int kCount = 1000;
  std::vector<amqp::OutgoingMessage> batch;
  for (int i = 0; i < kCount; ++i) batch.push_back(Event(producer, "m" + std::to_string(i), 1024));
  const auto started = std::chrono::steady_clock::now();
  co_await publisher.PublishConfirmed(std::move(batch));
  const auto confirmed = std::chrono::steady_clock::now() - started;
  co_await mt::WaitUntil([s] { return s->ids.size() == kCount; }, 60s);
  const auto consumed = std::chrono::steady_clock::now() - started;
  std::cout << "[ rate     ] " << kCount << " persistent 1 KiB messages to a quorum queue: confirmed in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(confirmed).count() << " ms, consumed in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(consumed).count() << " ms\n";

  EXPECT_EQ(seen.ids.size(), static_cast<std::size_t>(kCount));
  const amqp::Delivery& last = seen.last;
  EXPECT_EQ(last.exchange, amqp::ExchangeOf(producer));
  EXPECT_EQ(last.routing_key, kType);
  EXPECT_EQ(last.type, kType);
  EXPECT_EQ(last.correlation_id, "corr-" + last.message_id);
  EXPECT_THAT(last.body, HasSubstr(last.message_id));
  EXPECT_EQ(last.body.size(), 1024u);
  EXPECT_THAT(last.headers, Contains(Pair("x-test", "yes")));
  EXPECT_EQ(last.attempts, 0);
  EXPECT_FALSE(last.redelivered);
  consumer.Stop();
}

TEST(PublisherTest, BatchOfAThousandIsConfirmedAndConsumed) {
  asio::io_context io;
  mt::Run(io, ThousandConfirmedAndConsumed(mt::AmqpUrl()));
}

asio::awaitable<void> UnroutedIsParked(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  const std::string producer = mt::UniqueName("lonely");
  mt::AmqpCleanup cleanup(url);
  cleanup.Producer(producer);
  amqp::PublisherOptions options{.url = url, .exchanges = {amqp::ExchangeOf(producer)}};
  amqp::Publisher publisher(executor, options);
  const std::string id = mt::UniqueName("nobody-listens");
  std::vector<amqp::OutgoingMessage> batch{Event(producer, id)};
  co_await publisher.PublishConfirmed(std::move(batch));

  amqp::QueueAdmin admin(url);
  bool found = false;
  for (const auto& message : admin.Peek(amqp::kUnroutedQueue, 100'000)) {
    if (message.message_id != id) continue;
    found = true;
    EXPECT_EQ(message.exchange, amqp::ExchangeOf(producer));
    EXPECT_EQ(message.routing_key, kType);
  }
  EXPECT_TRUE(found) << "the event is not in " << amqp::kUnroutedQueue;
}

TEST(PublisherTest, EventNobodySubscribesToIsParkedInUnrouted) {
  asio::io_context io;
  mt::Run(io, UnroutedIsParked(mt::AmqpUrl()));
}

asio::awaitable<void> UnreachableBrokerFails(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  amqp::PublisherOptions options{
      .url = url, .exchanges = {}, .confirm_timeout = 300ms, .min_backoff = 20ms, .max_backoff = 100ms};
  amqp::Publisher publisher(executor, options);
  std::vector<amqp::OutgoingMessage> batch{Event("nowhere", "m1")};
  const auto error = co_await mt::Catch<amqp::PublishError>(publisher.PublishConfirmed(std::move(batch)));
  EXPECT_TRUE(error.has_value());
  if (error) {
    EXPECT_THAT(error->what(), HasSubstr("not connected"));
  }
  EXPECT_FALSE(publisher.Connected());
  std::vector<amqp::OutgoingMessage> none;
  co_await publisher.PublishConfirmed(std::move(none));  // nothing to confirm: completes at once
}

TEST(PublisherTest, BatchFailsWhenTheBrokerCannotBeReached) {
  asio::io_context io;
  mt::Run(io,
          UnreachableBrokerFails("amqp://guest:guest@127.0.0.1:" + std::to_string(mt::FreePort()) + "/%2f"));
}

}  // namespace
