// The whole messaging path against the real test broker and a real PostgreSQL: outbox → relay →
// RabbitMQ → consumer → inbox, duplicates, the retry path, the dead-letter queue and its replay.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "platform/amqp/consumer.hpp"
#include "platform/amqp/publisher.hpp"
#include "platform/core/ids.hpp"
#include "platform/http/problem.hpp"
#include "platform/messaging/dead_letters.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/messaging/inbox.hpp"
#include "platform/messaging/migrations.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/messaging/outbox_relay.hpp"
#include "platform/pg/pool.hpp"
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
namespace pg = microstore::pg;
using namespace std::chrono_literals;
using messaging::Envelope;
using Json = nlohmann::json;

constexpr const char* kType = "OrderCreated";

struct Seen {
  int deliveries = 0;  // everything the consumer handed to the inbox
  int applied = 0;     // handler runs that committed
  bool failing = false;
};

asio::awaitable<void> Apply(pg::Transaction& transaction, const Envelope& event, Seen& seen) {
  if (seen.failing) throw std::runtime_error("stock is confused");
  co_await transaction.Query("INSERT INTO effects (event_id) VALUES ($1::uuid)", event.id);
  ++seen.applied;
}

// A producer service and a consumer service with their own names, a database with the
// messaging tables, and the broker objects cleaned up afterwards.
struct World {
  World()
      : url(mt::AmqpUrl()),
        producer(mt::UniqueName("producer")),
        consumer(mt::UniqueName("consumer")),
        cleanup(url) {
    cleanup.Producer(producer);
    cleanup.Consumer(consumer, delays);
    mt::ExecSync(db.url(), "CREATE TABLE effects (event_id uuid)");
  }

  Envelope Event(int n) const {
    return messaging::MakeEvent(kType, 1, {"order", std::to_string(n), 1, "PENDING"}, Json{{"n", n}},
                                {"corr-" + std::to_string(n), "", ""}, producer, "node-1",
                                microstore::core::NewUuid(), std::chrono::system_clock::now());
  }

  std::string Value(const std::string& sql) const { return mt::QueryValueSync(db.url(), sql); }

  std::vector<std::chrono::milliseconds> delays{50ms, 100ms};
  std::string url;
  std::string producer;
  std::string consumer;
  mt::AmqpCleanup cleanup;  // declared before the publisher and consumer: destroyed after them
  mt::TempDatabase db;
};

asio::awaitable<void> Migrate(pg::Pool& pool) {
  co_await microstore::migrations::Apply(pool, messaging::Migrations(), messaging::kMigrationsComponent);
}

asio::awaitable<void> AppendCommitted(pg::Pool& pool, std::vector<Envelope> events) {
  pg::Transaction transaction = co_await pool.Begin();
  co_await messaging::Append(transaction, std::move(events));
  co_await transaction.Commit();
}

asio::awaitable<void> OnceThroughTheBroker(const World* world) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = world->db.url(), .max_size = 6});
  co_await Migrate(pool);

  Seen seen;
  Seen* s = &seen;
  messaging::Inbox inbox(pool, world->consumer, {}, {.max_attempts = 3, .retry_delays = world->delays});
  inbox.On(kType, [s](pg::Transaction& transaction, const Envelope& event) {
    return Apply(transaction, event, *s);
  });
  messaging::Inbox* in = &inbox;
  amqp::ConsumerOptions consumer_options{.url = world->url,
                                         .consumer = world->consumer,
                                         .subscriptions = {{world->producer, kType}},
                                         .retry_delays = world->delays};
  amqp::Consumer consumer(executor, consumer_options, [s, in](amqp::Delivery delivery) {
    ++s->deliveries;
    return in->Handle(std::move(delivery));
  });
  consumer.Start();
  const amqp::Consumer* c = &consumer;
  co_await mt::WaitUntil([c] { return c->Connected(); });

  amqp::PublisherOptions publisher_options{.url = world->url,
                                           .exchanges = {amqp::ExchangeOf(world->producer)}};
  amqp::Publisher publisher(executor, publisher_options);
  messaging::OutboxRelay relay(executor, pool, publisher, {.listener_conninfo = world->db.url()});
  relay.Start();

  std::vector<Envelope> events;
  for (int n = 1; n <= 5; ++n) events.push_back(world->Event(n));
  co_await AppendCommitted(pool, std::move(events));
  co_await mt::WaitUntil([s] { return s->applied == 5; });
  EXPECT_EQ(seen.deliveries, 5);

  // As if a relay had died after the broker confirmed but before it recorded so: every row is
  // published again, every copy is delivered, none has a second effect.
  co_await pool.Query("UPDATE outbox SET sent_at = NULL");
  co_await pool.Query("SELECT pg_notify('outbox', '')");
  co_await mt::WaitUntil([s] { return s->deliveries == 10; });
  EXPECT_EQ(seen.applied, 5);

  relay.Stop();
  consumer.Stop();
}

TEST(Messaging, EventsTravelFromTheOutboxToTheInboxWithOneEffectEach) {
  World world;
  asio::io_context io;
  mt::Run(io, OnceThroughTheBroker(&world));
  EXPECT_EQ(world.Value("SELECT count(*) FROM effects"), "5");
  EXPECT_EQ(world.Value("SELECT count(DISTINCT event_id) FROM effects"), "5");
  EXPECT_EQ(world.Value("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), "0");
  EXPECT_EQ(world.Value("SELECT count(*) FROM inbox"), "5");
}

// The role check is the server's (covered by dead_letters_test); the route's own work is tested here.
asio::awaitable<http::Response> Call(http::Router* router, http::Method method, std::string target) {
  return microstore::testing::CallRoute(router, method, std::move(target));
}

asio::awaitable<Json> ListDeadLetters(http::Router* router) {
  const http::Response response =
      co_await Call(router, http::Method::kGet, "/api/v1/admin/dead-letters?limit=10");
  EXPECT_EQ(response.status, 200) << response.body;
  co_return Json::parse(response.body);
}

asio::awaitable<void> ParkedThenReplayed(const World* world) {
  const auto executor = co_await asio::this_coro::executor;
  asio::thread_pool workers(1);
  http::Router router;
  messaging::RegisterDeadLetterRoutes(router, world->url, world->consumer, workers.get_executor());
  http::Router* r = &router;

  pg::Pool pool(executor, {.conninfo = world->db.url(), .max_size = 6});
  co_await Migrate(pool);
  Seen seen;
  seen.failing = true;
  Seen* s = &seen;
  messaging::Inbox inbox(pool, world->consumer, {}, {.max_attempts = 3, .retry_delays = world->delays});
  inbox.On(kType, [s](pg::Transaction& transaction, const Envelope& event) {
    return Apply(transaction, event, *s);
  });
  messaging::Inbox* in = &inbox;
  amqp::ConsumerOptions consumer_options{.url = world->url,
                                         .consumer = world->consumer,
                                         .subscriptions = {{world->producer, kType}},
                                         .retry_delays = world->delays};
  amqp::Consumer consumer(executor, consumer_options, [s, in](amqp::Delivery delivery) {
    ++s->deliveries;
    return in->Handle(std::move(delivery));
  });
  consumer.Start();
  const amqp::Consumer* c = &consumer;
  co_await mt::WaitUntil([c] { return c->Connected(); });
  amqp::PublisherOptions publisher_options{.url = world->url,
                                           .exchanges = {amqp::ExchangeOf(world->producer)}};
  amqp::Publisher publisher(executor, publisher_options);
  messaging::OutboxRelay relay(executor, pool, publisher, {.listener_conninfo = world->db.url()});
  relay.Start();

  const Envelope event = world->Event(1);
  std::vector<Envelope> events(1, event);
  co_await AppendCommitted(pool, std::move(events));
  co_await mt::WaitUntil([s] { return s->deliveries == 3; });  // attempts 0, 1, 2: then dead-lettered

  Json listing;
  for (int i = 0; i < 200; ++i) {
    listing = co_await ListDeadLetters(r);
    if (listing["total"] == 1) break;
    asio::steady_timer pause(executor, 25ms);
    co_await pause.async_wait(asio::use_awaitable);
  }
  EXPECT_EQ(listing["queue"], amqp::DeadLetterQueueOf(world->consumer));
  EXPECT_EQ(listing["total"], 1);
  EXPECT_EQ(listing["items"].size(), 1u);
  if (listing["items"].size() != 1) co_return;
  const Json item = listing["items"][0];
  EXPECT_EQ(item["id"], event.id);
  EXPECT_EQ(item["type"], kType);
  EXPECT_EQ(item["correlation_id"], "corr-1");
  EXPECT_NE(item["error"].get<std::string>().find("stock is confused"), std::string::npos) << item.dump();
  EXPECT_EQ(item["body"]["id"], event.id);
  EXPECT_EQ(seen.applied, 0);

  const http::Response unknown = co_await Call(
      r, http::Method::kPost, "/api/v1/admin/dead-letters/" + microstore::core::NewUuid() + "/replay");
  EXPECT_EQ(unknown.status, 404) << unknown.body;

  // The operator fixed the cause and replays the event: it is applied once.
  seen.failing = false;
  const http::Response replayed =
      co_await Call(r, http::Method::kPost, "/api/v1/admin/dead-letters/" + event.id + "/replay");
  EXPECT_EQ(replayed.status, 200) << replayed.body;
  EXPECT_EQ(Json::parse(replayed.body)["replayed"], 1);
  co_await mt::WaitUntil([s] { return s->applied == 1; });
  const Json after = co_await ListDeadLetters(r);
  EXPECT_EQ(after["total"], 0);

  // A copy of the already applied event replayed again: delivered, acknowledged, no effect.
  amqp::OutgoingMessage copy{.exchange = "",
                             .routing_key = amqp::DeadLetterQueueOf(world->consumer),
                             .message_id = event.id,
                             .type = kType,
                             .correlation_id = event.correlation_id,
                             .body = messaging::ToJson(event),
                             .headers = {}};
  auto park = [url = world->url, copy] { amqp::QueueAdmin(url).Publish(copy); };
  co_await microstore::async::Offload(workers.get_executor(), std::move(park));
  const int before = seen.deliveries;
  const http::Response all = co_await Call(r, http::Method::kPost, "/api/v1/admin/dead-letters/replay");
  EXPECT_EQ(Json::parse(all.body)["replayed"], 1) << all.body;
  co_await mt::WaitUntil([s, before] { return s->deliveries == before + 1; });
  EXPECT_EQ(seen.applied, 1);

  relay.Stop();
  consumer.Stop();
}

TEST(Messaging, AFailingEventIsParkedInTheDeadLetterQueueAndReplayedOnce) {
  World world;
  asio::io_context io;
  mt::Run(io, ParkedThenReplayed(&world));
  EXPECT_EQ(world.Value("SELECT count(*) FROM effects"), "1");
}

}  // namespace
