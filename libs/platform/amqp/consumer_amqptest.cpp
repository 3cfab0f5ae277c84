// Consumer against the shared test broker: retries, dead letters, prefetch, stop.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "platform/amqp/consumer.hpp"
#include "platform/amqp/failure_headers.hpp"
#include "platform/amqp/publisher.hpp"
#include "platform/testing/amqp.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace amqp = microstore::amqp;
namespace mt = microstore::testing;
using namespace std::chrono_literals;
using Kind = amqp::Outcome::Kind;
using ::testing::Contains;
using ::testing::Pair;

constexpr const char* kType = "thing.happened";

std::string Header(const amqp::Delivery& delivery, const std::string& key) {
  for (const auto& [k, v] : delivery.headers) {
    if (k == key) return v;
  }
  return "<absent>";
}

amqp::OutgoingMessage Event(const std::string& producer, const std::string& id) {
  return amqp::OutgoingMessage{.exchange = amqp::ExchangeOf(producer),
                               .routing_key = kType,
                               .message_id = id,
                               .type = kType,
                               .correlation_id = "corr-" + id,
                               .body = R"({"id":")" + id + R"("})",
                               .headers = {{"x-test", "yes"}}};
}

// One consumer service and one producer with unique names, cleaned up at the end.
struct Fixture {
  explicit Fixture(std::vector<std::chrono::milliseconds> retry_delays)
      : url(mt::AmqpUrl()),
        producer(mt::UniqueName("producer")),
        consumer(mt::UniqueName("consumer")),
        delays(std::move(retry_delays)),
        cleanup(url) {
    cleanup.Producer(producer);
    cleanup.Consumer(consumer, delays);
  }
  amqp::ConsumerOptions Options(int prefetch = 64) const {
    return amqp::ConsumerOptions{.url = url,
                                 .consumer = consumer,
                                 .subscriptions = {{producer, kType}},
                                 .prefetch = prefetch,
                                 .retry_delays = delays,
                                 .heartbeat = 10s,
                                 .min_backoff = 20ms,
                                 .max_backoff = 500ms};
  }

  std::string url;
  std::string producer;
  std::string consumer;
  std::vector<std::chrono::milliseconds> delays;
  mt::AmqpCleanup cleanup;
};

asio::awaitable<void> Publish(const Fixture& fixture, std::vector<amqp::OutgoingMessage> batch) {
  amqp::PublisherOptions options{.url = fixture.url, .exchanges = {amqp::ExchangeOf(fixture.producer)}};
  amqp::Publisher publisher(co_await asio::this_coro::executor, options);
  co_await publisher.PublishConfirmed(std::move(batch));
}

// --- kRetry and exceptions ------------------------------------------------------------------

struct Attempt {
  amqp::Delivery delivery;
  std::chrono::steady_clock::time_point at;
};
struct Attempts {
  std::vector<Attempt> seen;
  bool throw_instead = false;
};

asio::awaitable<amqp::Outcome> FailFirst(Attempts* attempts, amqp::Delivery delivery) {
  const int attempt = delivery.attempts;
  attempts->seen.push_back({std::move(delivery), std::chrono::steady_clock::now()});
  if (attempt > 0) co_return amqp::Outcome{};
  if (attempts->throw_instead) throw std::runtime_error("kaput");
  co_return amqp::Outcome{.kind = Kind::kRetry, .error = "boom: first try", .retry_delay_ms = 150};
}

asio::awaitable<void> RetryComesBack(bool throw_instead) {
  Fixture fixture({100ms, 200ms, 5s});
  const auto executor = co_await asio::this_coro::executor;
  Attempts attempts{.seen = {}, .throw_instead = throw_instead};
  Attempts* a = &attempts;
  amqp::Consumer consumer(executor, fixture.Options(),
                          [a](amqp::Delivery delivery) { return FailFirst(a, std::move(delivery)); });
  consumer.Start();
  const amqp::Consumer* c = &consumer;
  co_await mt::WaitUntil([c] { return c->Connected(); });
  std::vector<amqp::OutgoingMessage> batch{Event(fixture.producer, "once")};
  co_await Publish(fixture, std::move(batch));
  co_await mt::WaitUntil([a] { return a->seen.size() >= 2; });

  EXPECT_EQ(attempts.seen.size(), 2u);
  if (attempts.seen.size() < 2) co_return;
  const amqp::Delivery& first = attempts.seen[0].delivery;
  const amqp::Delivery& second = attempts.seen[1].delivery;
  EXPECT_EQ(first.attempts, 0);
  EXPECT_EQ(second.attempts, 1);
  EXPECT_EQ(Header(second, amqp::kAttemptsHeader), "1");
  EXPECT_EQ(Header(second, amqp::kErrorHeader), throw_instead ? "kaput" : "boom: first try");
  // The smallest configured delay that is at least the one asked for (an exception asks for none).
  EXPECT_EQ(Header(second, "x-first-death-queue"),
            amqp::RetryQueueOf(fixture.consumer, throw_instead ? 100 : 200));
  const auto waited = attempts.seen[1].at - attempts.seen[0].at;
  EXPECT_GE(waited, throw_instead ? 100ms : 200ms);  // a lower bound: the broker never expires early
  EXPECT_EQ(second.message_id, "once");
  EXPECT_EQ(second.type, kType);
  EXPECT_EQ(second.correlation_id, "corr-once");
  EXPECT_EQ(second.body, first.body);
  EXPECT_THAT(second.headers, Contains(Pair("x-test", "yes")));
  consumer.Stop();
}

TEST(ConsumerTest, RetryComesBackAfterItsDelayWithAttemptsAndError) {
  asio::io_context io;
  mt::Run(io, RetryComesBack(false));
}

TEST(ConsumerTest, HandlerExceptionIsARetryWithItsMessage) {
  asio::io_context io;
  mt::Run(io, RetryComesBack(true));
}

// --- kDeadLetter ----------------------------------------------------------------------------

struct Journal {
  std::vector<std::string> events;  // "<id>#<attempts>" in handling order
  int others = 0;
  int poison_attempts = 0;
};

asio::awaitable<amqp::Outcome> PoisonHandler(Journal* journal, amqp::Delivery delivery) {
  journal->events.push_back(delivery.message_id + "#" + std::to_string(delivery.attempts));
  if (delivery.message_id != "poison") {
    ++journal->others;
    co_return amqp::Outcome{};
  }
  ++journal->poison_attempts;
  if (delivery.attempts < 2)
    co_return amqp::Outcome{.kind = Kind::kRetry, .error = "still bad", .retry_delay_ms = 300};
  co_return amqp::Outcome{.kind = Kind::kDeadLetter, .error = "poison: gave up"};
}

asio::awaitable<void> PoisonIsParked() {
  Fixture fixture({300ms});
  const auto executor = co_await asio::this_coro::executor;
  Journal journal;
  Journal* j = &journal;
  amqp::Consumer consumer(executor, fixture.Options(),
                          [j](amqp::Delivery delivery) { return PoisonHandler(j, std::move(delivery)); });
  consumer.Start();
  const amqp::Consumer* c = &consumer;
  co_await mt::WaitUntil([c] { return c->Connected(); });

  std::vector<amqp::OutgoingMessage> batch{Event(fixture.producer, "poison")};
  for (int i = 0; i < 20; ++i) batch.push_back(Event(fixture.producer, "ok" + std::to_string(i)));
  co_await Publish(fixture, std::move(batch));
  co_await mt::WaitUntil([j] { return j->poison_attempts == 3 && j->others == 20; });

  amqp::QueueAdmin admin(fixture.url);
  amqp::QueueAdmin* admin_ptr = &admin;
  const std::string dead_queue = amqp::DeadLetterQueueOf(fixture.consumer);
  const std::string* dead = &dead_queue;
  co_await mt::WaitUntil([admin_ptr, dead] { return admin_ptr->MessageCount(*dead) == 1; });
  consumer.Stop();

  // Every other message was handled before the poison one's second attempt: it waited in the
  // retry queue instead of blocking the queue.
  const auto second_try = std::find(journal.events.begin(), journal.events.end(), "poison#1");
  EXPECT_EQ(
      std::count_if(journal.events.begin(), second_try, [](const auto& e) { return e.starts_with("ok"); }),
      20);
  EXPECT_EQ(journal.events.back(), "poison#2");

  const auto parked = admin.Peek(dead_queue, 10);
  EXPECT_EQ(parked.size(), 1u);
  if (!parked.empty()) {
    const amqp::Delivery& message = parked[0];
    EXPECT_EQ(message.message_id, "poison");
    EXPECT_EQ(message.body, R"({"id":"poison"})");
    EXPECT_EQ(Header(message, amqp::kErrorHeader), "poison: gave up");
    EXPECT_EQ(Header(message, amqp::kAttemptsHeader), "3");
    EXPECT_EQ(message.attempts, 3);
    EXPECT_THAT(Header(message, amqp::kDeadAtHeader),
                ::testing::MatchesRegex(R"(20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T.*Z)"));
    EXPECT_THAT(message.headers, Contains(Pair("x-test", "yes")));
  }
  EXPECT_EQ(admin.MessageCount(dead_queue), 1u) << "peeking must leave the message where it is";
  EXPECT_EQ(admin.MessageCount(amqp::QueueOf(fixture.consumer)), 0u);
}

TEST(ConsumerTest, DeadLetteredMessageIsParkedWhileOthersKeepFlowing) {
  asio::io_context io;
  mt::Run(io, PoisonIsParked());
}

// --- prefetch -------------------------------------------------------------------------------

struct Gate {
  bool open = false;
  int running = 0;
  int max_running = 0;
  int done = 0;
  std::vector<bool> redelivered = {};
};

asio::awaitable<amqp::Outcome> Parked(Gate* gate, amqp::Delivery delivery) {
  ++gate->running;
  gate->max_running = std::max(gate->max_running, gate->running);
  gate->redelivered.push_back(delivery.redelivered);
  co_await mt::WaitUntil([gate] { return gate->open; }, 120s);
  --gate->running;
  ++gate->done;
  co_return amqp::Outcome{};
}

asio::awaitable<void> Sleep(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<void> PrefetchBoundsHandlers() {
  Fixture fixture({1s});
  const auto executor = co_await asio::this_coro::executor;
  Gate gate;
  Gate* g = &gate;
  amqp::Consumer consumer(executor, fixture.Options(3),
                          [g](amqp::Delivery delivery) { return Parked(g, std::move(delivery)); });
  consumer.Start();
  const amqp::Consumer* c = &consumer;
  co_await mt::WaitUntil([c] { return c->Connected(); });
  std::vector<amqp::OutgoingMessage> batch;
  for (int i = 0; i < 20; ++i) batch.push_back(Event(fixture.producer, "m" + std::to_string(i)));
  co_await Publish(fixture, std::move(batch));

  co_await mt::WaitUntil([g] { return g->running == 3; });
  co_await Sleep(300ms);  // room for a fourth delivery, which must not come
  EXPECT_EQ(gate.running, 3);
  gate.open = true;
  co_await mt::WaitUntil([g] { return g->done == 20; });
  EXPECT_EQ(gate.max_running, 3);
  consumer.Stop();
}

TEST(ConsumerTest, NeverMoreHandlersThanPrefetch) {
  asio::io_context io;
  mt::Run(io, PrefetchBoundsHandlers());
}

// --- Stop -----------------------------------------------------------------------------------

asio::awaitable<void> StopLeavesDeliveriesToTheBroker() {
  Fixture fixture({1s});
  const auto executor = co_await asio::this_coro::executor;
  Gate first;
  Gate* g1 = &first;
  auto consumer = std::make_unique<amqp::Consumer>(
      executor, fixture.Options(5),
      [g1](amqp::Delivery delivery) { return Parked(g1, std::move(delivery)); });
  consumer->Start();
  const amqp::Consumer* c = consumer.get();
  co_await mt::WaitUntil([c] { return c->Connected(); });
  std::vector<amqp::OutgoingMessage> batch;
  for (int i = 0; i < 3; ++i) batch.push_back(Event(fixture.producer, "m" + std::to_string(i)));
  co_await Publish(fixture, std::move(batch));
  co_await mt::WaitUntil([g1] { return g1->running == 3; });

  consumer->Stop();  // handlers still running: their outcomes must not be acted on
  EXPECT_FALSE(consumer->Connected());
  first.open = true;
  co_await mt::WaitUntil([g1] { return g1->done == 3; });
  consumer.reset();

  Gate second{.open = true};
  Gate* g2 = &second;
  amqp::Consumer again(executor, fixture.Options(5),
                       [g2](amqp::Delivery delivery) { return Parked(g2, std::move(delivery)); });
  again.Start();
  co_await mt::WaitUntil([g2] { return g2->done == 3; });
  EXPECT_EQ(second.redelivered, std::vector<bool>(3, true));
  again.Stop();
}

TEST(ConsumerTest, StopLeavesUnsettledDeliveriesToBeRedelivered) {
  asio::io_context io;
  mt::Run(io, StopLeavesDeliveriesToTheBroker());
}

}  // namespace
