// QueueAdmin against the shared test broker: what the dead-letter endpoints rely on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <set>

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
using ::testing::HasSubstr;

asio::awaitable<amqp::Outcome> Ack(amqp::Delivery) { co_return amqp::Outcome{}; }

asio::awaitable<void> DeclareTopology(amqp::ConsumerOptions options) {
  amqp::Consumer consumer(co_await asio::this_coro::executor, std::move(options), Ack);
  consumer.Start();
  const amqp::Consumer* c = &consumer;
  co_await mt::WaitUntil([c] { return c->Connected(); });
  consumer.Stop();
}

std::string Header(const amqp::Delivery& delivery, const std::string& key) {
  for (const auto& [k, v] : delivery.headers) {
    if (k == key) return v;
  }
  return "<absent>";
}

std::set<std::string> Ids(const std::vector<amqp::Delivery>& messages) {
  std::set<std::string> ids;
  for (const auto& message : messages) ids.insert(message.message_id);
  return ids;
}

amqp::OutgoingMessage Parked(const std::string& queue, const std::string& id, amqp::Headers headers = {}) {
  return {.exchange = "",
          .routing_key = queue,
          .message_id = id,
          .type = "thing.happened",
          .correlation_id = "",
          .body = "{}",
          .headers = std::move(headers)};
}

// A consumer's queues (main, retry, dead-letter) on the shared test broker, deleted afterwards.
class QueueAdminTest : public ::testing::Test {
 protected:
  QueueAdminTest() {
    cleanup_.Consumer(service, kDelays);
    asio::io_context io;
    mt::Run(
        io,
        DeclareTopology(
            {.url = url, .consumer = service, .subscriptions = {}, .prefetch = 64, .retry_delays = kDelays}));
  }

  inline static const std::vector<std::chrono::milliseconds> kDelays{1s};
  const std::string url = mt::AmqpUrl();
  const std::string service = mt::UniqueName("admin");
  const std::string dead = amqp::DeadLetterQueueOf(service);
  const std::string main = amqp::QueueOf(service);

 private:
  mt::AmqpCleanup cleanup_{url};
};

TEST_F(QueueAdminTest, PeekLeavesMessagesAndMoveMovesTheSelectedOnes) {
  amqp::QueueAdmin admin(url);
  for (int i = 0; i < 5; ++i) {
    admin.Publish(Parked(dead, "d" + std::to_string(i),
                         {{amqp::kAttemptsHeader, "3"}, {amqp::kErrorHeader, "it broke"}}));
  }
  EXPECT_EQ(admin.MessageCount(dead), 5u);

  const auto peeked = admin.Peek(dead, 3);
  EXPECT_EQ(peeked.size(), 3u);
  EXPECT_EQ(Header(peeked.at(0), amqp::kErrorHeader), "it broke");
  EXPECT_EQ(peeked.at(0).attempts, 3);
  EXPECT_EQ(admin.MessageCount(dead), 5u) << "Peek must leave the messages";
  EXPECT_EQ(Ids(admin.Peek(dead, 100)), (std::set<std::string>{"d0", "d1", "d2", "d3", "d4"}));

  const std::set<std::string> chosen{"d1", "d3"};
  const auto moved =
      admin.Move(dead, main, [&](const amqp::Delivery& m) { return chosen.contains(m.message_id); });
  EXPECT_EQ(moved.moved, 2u);
  EXPECT_EQ(moved.remaining, 3u);
  EXPECT_EQ(admin.MessageCount(dead), 3u);
  EXPECT_EQ(Ids(admin.Peek(dead, 100)), (std::set<std::string>{"d0", "d2", "d4"}));

  const auto replayed = admin.Drain(main, 100);
  EXPECT_EQ(Ids(replayed), chosen);
  for (const auto& message : replayed) {
    EXPECT_EQ(message.attempts, 0);
    EXPECT_EQ(Header(message, amqp::kAttemptsHeader), "0");
    EXPECT_EQ(Header(message, amqp::kErrorHeader), "it broke");  // kept for the record
    EXPECT_EQ(message.type, "thing.happened");
  }
  EXPECT_EQ(admin.MessageCount(main), 0u);

  EXPECT_THROW(admin.Move(dead, dead, [](const amqp::Delivery&) { return true; }), std::invalid_argument);
}

// What keeps a replay from taking its own copies again: a bound, a mark and a stop.
TEST_F(QueueAdminTest, MoveSkipsItsOwnMarkStopsAtItsLimitAndWhenAskedTo) {
  amqp::QueueAdmin admin(url);

  std::vector<amqp::OutgoingMessage> parked;
  for (int i = 0; i < 250; ++i) parked.push_back(Parked(dead, "m" + std::to_string(i)));
  parked.push_back(Parked(dead, "came-back", {{amqp::kReplayHeader, "replay-1"}}));
  admin.Publish(parked);  // in one go
  EXPECT_EQ(admin.MessageCount(dead), 251u);

  const auto all = [](const amqp::Delivery&) { return true; };
  const auto first = admin.Move(dead, main, all, {.max = 120, .mark = "replay-1"});
  EXPECT_EQ(first.moved, 120u);
  EXPECT_EQ(first.remaining, 131u);
  const auto second = admin.Move(dead, main, all, {.mark = "replay-1"});
  EXPECT_EQ(second.moved, 130u) << "the message marked by this same replay stays";
  EXPECT_EQ(second.remaining, 1u);
  const auto copies = admin.Drain(main, 1000);
  EXPECT_EQ(copies.size(), 250u);
  EXPECT_EQ(Ids(copies).size(), 250u) << "each moved once";
  EXPECT_EQ(Header(copies.at(0), amqp::kReplayHeader), "replay-1");

  std::stop_source stop;
  stop.request_stop();
  const auto stopped = admin.Move(dead, main, all, {.mark = "replay-2", .stop = stop.get_token()});
  EXPECT_EQ(stopped.moved, 0u);
  EXPECT_EQ(stopped.remaining, 1u);
  const auto moved = admin.Move(dead, main, all, {.mark = "replay-2"});
  EXPECT_EQ(moved.moved, 1u);
  EXPECT_EQ(Header(admin.Drain(main, 10).at(0), amqp::kReplayHeader), "replay-2");
}

TEST_F(QueueAdminTest, FailuresAreErrorsAndTheNextCallReconnects) {
  amqp::QueueAdmin admin(url);
  const std::string missing = mt::UniqueName("no-such-queue");
  try {
    admin.MessageCount(missing);
    ADD_FAILURE() << "counting a missing queue succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("NOT_FOUND"));
  }
  try {
    amqp::OutgoingMessage message;
    message.routing_key = missing;
    admin.Publish(message);
    ADD_FAILURE() << "publishing to a missing queue succeeded";
  } catch (const amqp::PublishError& e) {
    EXPECT_THAT(e.what(), HasSubstr("NO_ROUTE"));
  }
  EXPECT_NO_THROW(admin.DeleteQueue(missing));
  EXPECT_THROW(amqp::QueueAdmin("amqp://guest:guest@127.0.0.1:" + std::to_string(mt::FreePort()) + "/%2f"),
               std::runtime_error);
}

}  // namespace
