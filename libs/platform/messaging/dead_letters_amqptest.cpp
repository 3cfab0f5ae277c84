// The dead-letter routes against the real test broker, with a consumer that dead-letters every
// message it gets (poison no replay cures): a replay ends, moves each message once, and pages.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <set>
#include <stdexcept>

#include "platform/amqp/consumer.hpp"
#include "platform/amqp/failure_headers.hpp"
#include "platform/http/problem.hpp"
#include "platform/messaging/dead_letters.hpp"
#include "platform/async/offload.hpp"
#include "platform/testing/route_call.hpp"
#include "platform/testing/amqp.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace amqp = microstore::amqp;
namespace http = microstore::http;
namespace messaging = microstore::messaging;
namespace mt = microstore::testing;
using namespace std::chrono_literals;
using Json = nlohmann::json;

constexpr int kParked = 30;

struct Seen {
  int deliveries = 0;
};

asio::awaitable<amqp::Outcome> Refuse(Seen* seen, amqp::Delivery) {
  ++seen->deliveries;
  co_return amqp::Outcome{.kind = amqp::Outcome::Kind::kDeadLetter, .error = "still poison"};
}

// The role check is the server's (covered by dead_letters_test); the route's own work is tested here.
asio::awaitable<http::Response> Call(http::Router* router, http::Method method, std::string target) {
  return microstore::testing::CallRoute(router, method, std::move(target));
}

asio::awaitable<Json> CallJson(http::Router* router, http::Method method, std::string target) {
  const http::Response response = co_await Call(router, method, target);
  EXPECT_EQ(response.status, 200) << target << ": " << response.body;
  co_return Json::parse(response.body);
}

asio::awaitable<void> Pause(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

// The dead-letter queue's listing once it holds `count` messages again.
asio::awaitable<Json> ListingOf(http::Router* router, std::size_t count) {
  Json listing;
  for (int i = 0; i < 400; ++i) {
    listing = co_await CallJson(router, http::Method::kGet, "/api/v1/admin/dead-letters?limit=500");
    if (listing["total"] == count) break;
    co_await Pause(25ms);
  }
  EXPECT_EQ(listing["total"], count);
  co_return listing;
}

asio::awaitable<void> ReplayPoison(std::string url, std::string consumer_name) {
  const auto executor = co_await asio::this_coro::executor;
  asio::thread_pool workers(1);
  http::Router router;
  messaging::RegisterDeadLetterRoutes(router, url, consumer_name, workers.get_executor());
  http::Router* r = &router;

  const std::vector<std::chrono::milliseconds> delays{50ms};
  Seen seen;
  Seen* s = &seen;
  amqp::ConsumerOptions options{
      .url = url, .consumer = consumer_name, .subscriptions = {}, .retry_delays = delays};
  amqp::Consumer consumer(executor, options,
                          [s](amqp::Delivery delivery) { return Refuse(s, std::move(delivery)); });
  consumer.Start();
  const amqp::Consumer* c = &consumer;
  co_await mt::WaitUntil([c] { return c->Connected(); });

  std::vector<amqp::OutgoingMessage> parked;
  for (int i = 0; i < kParked; ++i) {
    parked.push_back({.exchange = "",
                      .routing_key = amqp::DeadLetterQueueOf(consumer_name),
                      .message_id = "poison-" + std::to_string(i),
                      .type = "Poisoned",
                      .correlation_id = "",
                      .body = "not an envelope",
                      .headers = {{amqp::kAttemptsHeader, "5"}, {amqp::kErrorHeader, "the first failure"}}});
  }
  auto park = [url, parked] { amqp::QueueAdmin(url).Publish(parked); };
  co_await microstore::async::Offload(workers.get_executor(), std::move(park));

  // Every message is replayed once, fails again at once and is back: the replay still ends.
  const Json all = co_await CallJson(r, http::Method::kPost, "/api/v1/admin/dead-letters/replay");
  EXPECT_EQ(all["replayed"], kParked) << all.dump();
  EXPECT_LE(all["remaining"].get<int>(), kParked) << all.dump();
  co_await mt::WaitUntil([s] { return s->deliveries >= kParked; });
  const Json listing = co_await ListingOf(r, kParked);
  std::set<std::string> ids;
  for (const auto& item : listing["items"]) {
    ids.insert(item["id"].get<std::string>());
    EXPECT_EQ(item["attempts"], 1) << item.dump();  // reset by the replay, raised by the failure
    EXPECT_EQ(item["error"], "still poison") << item.dump();
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kParked));
  co_await Pause(300ms);
  EXPECT_EQ(seen.deliveries, kParked) << "no message may be replayed twice";

  // One of them by id: moved once, although its copy comes back with the same id.
  const Json one = co_await CallJson(r, http::Method::kPost, "/api/v1/admin/dead-letters/poison-7/replay");
  EXPECT_EQ(one["replayed"], 1) << one.dump();
  co_await mt::WaitUntil([s] { return s->deliveries >= kParked + 1; });
  co_await ListingOf(r, kParked);
  co_await Pause(300ms);
  EXPECT_EQ(seen.deliveries, kParked + 1);

  // Paged: with the consumer stopped, the copies wait in its queue and the pages add up.
  consumer.Stop();
  int replayed = 0;
  std::vector<int> remaining;
  for (int page = 0; page < 5; ++page) {
    const Json answer =
        co_await CallJson(r, http::Method::kPost, "/api/v1/admin/dead-letters/replay?limit=12");
    replayed += answer["replayed"].get<int>();
    remaining.push_back(answer["remaining"].get<int>());
    if (answer["remaining"] == 0) break;
  }
  EXPECT_EQ(replayed, kParked);
  EXPECT_EQ(remaining, (std::vector<int>{18, 6, 0}));
  auto drain = [url, consumer_name] {
    return amqp::QueueAdmin(url).Drain(amqp::QueueOf(consumer_name), 1000);
  };
  const std::vector<amqp::Delivery> waiting =
      co_await microstore::async::Offload(workers.get_executor(), std::move(drain));
  std::set<std::string> moved;
  for (const auto& message : waiting) moved.insert(message.message_id);
  EXPECT_EQ(waiting.size(), static_cast<std::size_t>(kParked));
  EXPECT_EQ(moved.size(), static_cast<std::size_t>(kParked));

  const http::Response bad =
      co_await Call(r, http::Method::kPost, "/api/v1/admin/dead-letters/replay?limit=0");
  EXPECT_EQ(bad.status, 400);
  const http::Response unknown =
      co_await Call(r, http::Method::kPost, "/api/v1/admin/dead-letters/nobody/replay");
  EXPECT_EQ(unknown.status, 404);
}

TEST(DeadLetterReplay, APoisonMessageIsReplayedOnceAndComesBackWithoutLooping) {
  const std::string url = mt::AmqpUrl();
  const std::string consumer = mt::UniqueName("poisoned");
  mt::AmqpCleanup cleanup(url);
  cleanup.Consumer(consumer, {50ms});
  asio::io_context io;
  mt::Run(io, ReplayPoison(url, consumer));
}

}  // namespace
