#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <stdexcept>

#include "platform/core/ids.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/messaging/inbox.hpp"
#include "platform/messaging/migrations.hpp"
#include "platform/pg/pool.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace pg = microstore::pg;
namespace mt = microstore::testing;
namespace messaging = microstore::messaging;
namespace amqp = microstore::amqp;
using namespace std::chrono_literals;
using messaging::Envelope;
using messaging::Inbox;
using Json = nlohmann::json;
using Kind = amqp::Outcome::Kind;

constexpr const char* kConsumer = "stock";

Envelope OrderCreated(int schema_version, Json payload) {
  return messaging::MakeEvent("OrderCreated", schema_version, {"order", "42", 1, "PENDING"},
                              std::move(payload), {"corr-7", "", ""}, "order", "order-1",
                              microstore::core::NewUuid(), std::chrono::system_clock::now());
}

amqp::Delivery DeliveryOf(const Envelope& event, int attempts = 0) {
  amqp::Delivery delivery;
  delivery.exchange = "microstore.order";
  delivery.routing_key = event.type;
  delivery.message_id = event.id;
  delivery.type = event.type;
  delivery.correlation_id = event.correlation_id;
  delivery.body = messaging::ToJson(event);
  delivery.attempts = attempts;
  return delivery;
}

// What the handlers saw, shared with the test body.
struct Calls {
  int count = 0;
  int fail_first = 0;        // throw std::runtime_error this many times
  int conflict_first = 0;    // throw pg::SerializationFailure this many times
  bool poison = false;       // throw PoisonEvent
  bool bad_payload = false;  // read a missing field (nlohmann::json::exception)
  double hold_seconds = 0;   // pg_sleep inside the transaction
  std::vector<Json> payloads;
};

// The effect: one row per handled event, written in the inbox's transaction.
asio::awaitable<void> Record(pg::Transaction& transaction, const Envelope& event, Calls& calls) {
  ++calls.count;
  calls.payloads.push_back(event.payload);
  co_await transaction.Query("INSERT INTO effects (event_id, note) VALUES ($1::uuid, $2)", event.id,
                             event.payload.dump());
  if (calls.hold_seconds > 0) co_await transaction.Query("SELECT pg_sleep($1)", calls.hold_seconds);
  if (calls.conflict_first > 0) {
    --calls.conflict_first;
    throw pg::SerializationFailure("could not serialize access", "40001");
  }
  if (calls.fail_first > 0) {
    --calls.fail_first;
    throw std::runtime_error("stock service is confused");
  }
  if (calls.poison) throw messaging::PoisonEvent("order has no items");
  if (calls.bad_payload) (void)event.payload.at("no_such_field").get<int>();
}

class InboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mt::ExecSync(db_.url(), "CREATE TABLE effects (event_id uuid, note text)");
    asio::io_context io;
    mt::Run(io, Migrate(db_.url()));
  }

  static asio::awaitable<void> Migrate(std::string url) {
    const auto executor = co_await asio::this_coro::executor;
    pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
    co_await microstore::migrations::Apply(pool, messaging::Migrations(), messaging::kMigrationsComponent);
  }

  // Handles each delivery in turn with a fresh Inbox whose OrderCreated handler records into
  // `calls_`; returns the outcomes.
  std::vector<amqp::Outcome> HandleAll(std::vector<amqp::Delivery> deliveries,
                                       messaging::Upcasters upcasters = {}) {
    asio::io_context io;
    return mt::Run(io, Drive(db_.url(), std::move(deliveries), std::move(upcasters), &calls_));
  }

  static asio::awaitable<std::vector<amqp::Outcome>> Drive(std::string url,
                                                           std::vector<amqp::Delivery> deliveries,
                                                           messaging::Upcasters upcasters, Calls* calls) {
    const auto executor = co_await asio::this_coro::executor;
    pg::Pool pool(executor, {.conninfo = url, .max_size = 3});
    Inbox inbox(pool, kConsumer, std::move(upcasters));
    inbox.On("OrderCreated", [calls](pg::Transaction& transaction, const Envelope& event) {
      return Record(transaction, event, *calls);
    });
    const amqp::Handler handler = inbox.Handler();
    std::vector<amqp::Outcome> outcomes;
    for (auto& delivery : deliveries) outcomes.push_back(co_await handler(std::move(delivery)));
    co_return outcomes;
  }

  std::string Value(const std::string& sql) { return mt::QueryValueSync(db_.url(), sql); }
  std::string Effects() { return Value("SELECT count(*) FROM effects"); }
  std::string InboxRows() { return Value("SELECT count(*) FROM inbox"); }

  mt::TempDatabase db_;
  Calls calls_;
};

TEST_F(InboxTest, TheFirstDeliveryAppliesTheEffectOnceAndAcks) {
  const Envelope event = OrderCreated(1, {{"items", 2}});
  const auto outcomes = HandleAll({DeliveryOf(event)});
  EXPECT_EQ(outcomes[0].kind, Kind::kAck);
  EXPECT_EQ(calls_.count, 1);
  EXPECT_EQ(Effects(), "1");
  EXPECT_EQ(Value("SELECT consumer || ' ' || event_id FROM inbox"), std::string(kConsumer) + " " + event.id);
}

TEST_F(InboxTest, ADuplicateIsAcknowledgedWithoutASecondEffect) {
  const Envelope event = OrderCreated(1, {{"items", 2}});
  amqp::Delivery again = DeliveryOf(event);
  again.redelivered = true;
  const auto outcomes = HandleAll({DeliveryOf(event), again});
  EXPECT_EQ(outcomes[0].kind, Kind::kAck);
  EXPECT_EQ(outcomes[1].kind, Kind::kAck);
  EXPECT_EQ(calls_.count, 1);
  EXPECT_EQ(Effects(), "1");
}

TEST_F(InboxTest, AnotherConsumerOfTheSameEventIsNotADuplicate) {
  const Envelope event = OrderCreated(1, {});
  mt::ExecSync(db_.url(), "INSERT INTO inbox (consumer, event_id) VALUES ('payment', '" + event.id + "')");
  EXPECT_EQ(HandleAll({DeliveryOf(event)})[0].kind, Kind::kAck);
  EXPECT_EQ(Effects(), "1");
}

TEST_F(InboxTest, AFailingHandlerIsRetriedWithBackOffThenDeadLettered) {
  calls_.fail_first = 100;
  const Envelope event = OrderCreated(1, {});
  std::vector<amqp::Delivery> deliveries;
  for (int attempts = 0; attempts < 5; ++attempts) deliveries.push_back(DeliveryOf(event, attempts));
  const auto outcomes = HandleAll(deliveries);
  const std::vector<std::int64_t> delays = {1000, 5000, 30000, 30000};
  for (std::size_t i = 0; i < delays.size(); ++i) {
    EXPECT_EQ(outcomes[i].kind, Kind::kRetry) << i;
    EXPECT_EQ(outcomes[i].retry_delay_ms, delays[i]) << i;
    EXPECT_EQ(outcomes[i].error, "stock service is confused") << i;
  }
  EXPECT_EQ(outcomes[4].kind, Kind::kDeadLetter);
  EXPECT_NE(outcomes[4].error.find("failed 5 times"), std::string::npos) << outcomes[4].error;
  EXPECT_NE(outcomes[4].error.find("stock service is confused"), std::string::npos) << outcomes[4].error;
  EXPECT_EQ(calls_.count, 5);
  // Each failed attempt rolled back its effect and its inbox entry.
  EXPECT_EQ(Effects(), "0");
  EXPECT_EQ(InboxRows(), "0");
}

TEST_F(InboxTest, ARetriedEventSucceedsLaterAndOnlyThenCounts) {
  calls_.fail_first = 1;
  const Envelope event = OrderCreated(1, {});
  const auto outcomes = HandleAll({DeliveryOf(event, 0), DeliveryOf(event, 1), DeliveryOf(event, 2)});
  EXPECT_EQ(outcomes[0].kind, Kind::kRetry);
  EXPECT_EQ(outcomes[1].kind, Kind::kAck);
  EXPECT_EQ(outcomes[2].kind, Kind::kAck);
  EXPECT_EQ(calls_.count, 2);
  EXPECT_EQ(Effects(), "1");
}

TEST_F(InboxTest, ASerializationFailureIsRerunInPlace) {
  calls_.conflict_first = 2;
  const auto outcomes = HandleAll({DeliveryOf(OrderCreated(1, {}))});
  EXPECT_EQ(outcomes[0].kind, Kind::kAck);
  EXPECT_EQ(calls_.count, 3);
  EXPECT_EQ(Effects(), "1");
}

TEST_F(InboxTest, EndlessConflictsCountAsAFailure) {
  calls_.conflict_first = 100;
  const auto outcomes = HandleAll({DeliveryOf(OrderCreated(1, {}))});
  EXPECT_EQ(outcomes[0].kind, Kind::kRetry);
  EXPECT_EQ(calls_.count, 4);  // the first run and three re-runs
  EXPECT_EQ(Effects(), "0");
}

TEST_F(InboxTest, APoisonEventIsDeadLetteredAtOnce) {
  calls_.poison = true;
  const auto poison = HandleAll({DeliveryOf(OrderCreated(1, {}))});
  EXPECT_EQ(poison[0].kind, Kind::kDeadLetter);
  EXPECT_EQ(poison[0].error, "order has no items");
  calls_ = {};
  calls_.bad_payload = true;
  const auto bad = HandleAll({DeliveryOf(OrderCreated(1, {}))});
  EXPECT_EQ(bad[0].kind, Kind::kDeadLetter);
  EXPECT_NE(bad[0].error.find("unusable payload"), std::string::npos) << bad[0].error;
  EXPECT_EQ(Effects(), "0");
}

TEST_F(InboxTest, AnUnparseableBodyIsDeadLetteredWithTheReason) {
  amqp::Delivery garbage;
  garbage.message_id = "m-1";
  garbage.body = "{\"id\": \"not json";
  amqp::Delivery not_an_envelope = garbage;
  not_an_envelope.body = R"({"id": "0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7e", "type": "OrderCreated"})";
  const auto outcomes = HandleAll({garbage, not_an_envelope});
  EXPECT_EQ(outcomes[0].kind, Kind::kDeadLetter);
  EXPECT_NE(outcomes[0].error.find("unparseable envelope: the body is not valid JSON"), std::string::npos)
      << outcomes[0].error;
  EXPECT_EQ(outcomes[1].kind, Kind::kDeadLetter);
  EXPECT_NE(outcomes[1].error.find("schema_version"), std::string::npos) << outcomes[1].error;
  EXPECT_EQ(calls_.count, 0);
  EXPECT_EQ(InboxRows(), "0");
}

messaging::Upcasters ItemsUpcasters() {
  messaging::Upcasters upcasters;
  // v1 {"qty": n} → v2 {"items": n}
  upcasters.Register("OrderCreated", 1, [](Json payload) {
    payload["items"] = payload.at("qty");
    payload.erase("qty");
    return payload;
  });
  return upcasters;
}

TEST_F(InboxTest, AnOldEventReachesTheHandlerUpcast) {
  const auto outcomes =
      HandleAll({DeliveryOf(OrderCreated(1, {{"qty", 3}})), DeliveryOf(OrderCreated(2, {{"items", 4}}))},
                ItemsUpcasters());
  EXPECT_EQ(outcomes[0].kind, Kind::kAck);
  EXPECT_EQ(outcomes[1].kind, Kind::kAck);
  ASSERT_EQ(calls_.payloads.size(), 2u);
  EXPECT_EQ(calls_.payloads[0], (Json{{"items", 3}}));
  EXPECT_EQ(calls_.payloads[1], (Json{{"items", 4}}));
}

TEST_F(InboxTest, ANewerVersionIsDeadLetteredNotGuessed) {
  const auto outcomes = HandleAll({DeliveryOf(OrderCreated(3, {{"items", 1}}))}, ItemsUpcasters());
  EXPECT_EQ(outcomes[0].kind, Kind::kDeadLetter);
  EXPECT_NE(outcomes[0].error.find("newer"), std::string::npos) << outcomes[0].error;
  EXPECT_EQ(calls_.count, 0);
  EXPECT_EQ(InboxRows(), "0");
}

TEST_F(InboxTest, AnEventWithoutAHandlerIsRetriedThenDeadLettered) {
  Envelope event = OrderCreated(1, {});
  event.type = "OrderShipped";
  const auto outcomes = HandleAll({DeliveryOf(event, 0), DeliveryOf(event, 4)});
  EXPECT_EQ(outcomes[0].kind, Kind::kRetry);
  EXPECT_EQ(outcomes[1].kind, Kind::kDeadLetter);
  EXPECT_NE(outcomes[1].error.find("no handler for event type OrderShipped"), std::string::npos)
      << outcomes[1].error;
  EXPECT_EQ(InboxRows(), "0");
}

// Two replicas get the same event at the same time: the second waits on the first's inbox row,
// then sees it committed and does nothing.
asio::awaitable<std::vector<amqp::Outcome>> Concurrently(std::string url, amqp::Delivery delivery,
                                                         Calls* calls) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 4});
  Inbox inbox(pool, kConsumer, {});
  inbox.On("OrderCreated", [calls](pg::Transaction& transaction, const Envelope& event) {
    return Record(transaction, event, *calls);
  });
  auto first = asio::co_spawn(executor, inbox.Handle(delivery), asio::use_future);
  auto second = asio::co_spawn(executor, inbox.Handle(delivery), asio::use_future);
  auto* a = &first;
  auto* b = &second;
  co_await mt::WaitUntil([a, b] {
    return a->wait_for(0s) == std::future_status::ready && b->wait_for(0s) == std::future_status::ready;
  });
  co_return std::vector<amqp::Outcome>{first.get(), second.get()};
}

TEST_F(InboxTest, ConcurrentDuplicatesHaveOneEffect) {
  calls_.hold_seconds = 0.3;
  asio::io_context io;
  const auto outcomes = mt::Run(io, Concurrently(db_.url(), DeliveryOf(OrderCreated(1, {})), &calls_));
  EXPECT_EQ(outcomes[0].kind, Kind::kAck);
  EXPECT_EQ(outcomes[1].kind, Kind::kAck);
  EXPECT_EQ(calls_.count, 1);
  EXPECT_EQ(Effects(), "1");
}

// Deliveries handed over at once (as a consumer does while the inbox is busy) are handled in one
// batch. Each event's payload says how its handler behaves; the effect row records the
// transaction it was written in.
struct Batch {
  bool healed = false;  // from now on "fails" events succeed
  int handled = 0;
};

asio::awaitable<void> ApplyInBatch(pg::Transaction& transaction, const Envelope& event, Batch& batch) {
  ++batch.handled;
  co_await transaction.Query("INSERT INTO effects (event_id, note) VALUES ($1::uuid, txid_current()::text)",
                             event.id);
  const std::string behaviour = event.payload.value("behaviour", "");
  if (behaviour == "poison") throw messaging::PoisonEvent("order has no items");
  if (behaviour == "fails" && !batch.healed) throw std::runtime_error("stock service is confused");
  if (behaviour == "bad sql") co_await transaction.Query("SELECT 1 / $1::int", 0);
}

asio::awaitable<std::vector<amqp::Outcome>> AllAtOnce(std::string url, std::vector<amqp::Delivery> deliveries,
                                                      Batch* batch) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 3});
  Inbox inbox(pool, kConsumer, {});
  inbox.On("OrderCreated", [batch](pg::Transaction& transaction, const Envelope& event) {
    return ApplyInBatch(transaction, event, *batch);
  });
  std::vector<std::future<amqp::Outcome>> futures;
  for (auto& delivery : deliveries) {
    futures.push_back(asio::co_spawn(executor, inbox.Handle(std::move(delivery)), asio::use_future));
  }
  auto* all = &futures;
  co_await mt::WaitUntil([all] {
    return std::all_of(all->begin(), all->end(),
                       [](auto& f) { return f.wait_for(0s) == std::future_status::ready; });
  });
  std::vector<amqp::Outcome> outcomes;
  for (auto& future : futures) outcomes.push_back(future.get());
  co_return outcomes;
}

TEST_F(InboxTest, OneFailingEventInABatchNeitherUndoesNorBlocksTheOthers) {
  std::vector<Envelope> events;
  for (const char* behaviour : {"", "poison", "", "fails", "bad sql", ""}) {
    events.push_back(OrderCreated(1, {{"behaviour", behaviour}}));
  }
  std::vector<amqp::Delivery> deliveries;
  for (const auto& event : events) deliveries.push_back(DeliveryOf(event));
  deliveries.push_back(DeliveryOf(events[0]));  // a second copy within the same batch
  Batch batch;
  asio::io_context io;
  const auto outcomes = mt::Run(io, AllAtOnce(db_.url(), deliveries, &batch));
  ASSERT_EQ(outcomes.size(), 7u);
  EXPECT_EQ(outcomes[0].kind, Kind::kAck);
  EXPECT_EQ(outcomes[1].kind, Kind::kDeadLetter);
  EXPECT_EQ(outcomes[2].kind, Kind::kAck);
  EXPECT_EQ(outcomes[3].kind, Kind::kRetry);
  EXPECT_EQ(outcomes[4].kind, Kind::kRetry);
  EXPECT_EQ(outcomes[5].kind, Kind::kAck);
  EXPECT_EQ(outcomes[6].kind, Kind::kAck);  // the copy: a duplicate
  EXPECT_EQ(batch.handled, 6);
  // The three good events committed, together, in one transaction; nothing of the failed ones
  // stayed, not even their inbox rows.
  EXPECT_EQ(Effects(), "3");
  EXPECT_EQ(Value("SELECT count(DISTINCT note) FROM effects"), "1");
  EXPECT_EQ(Value("SELECT count(*) FROM inbox"), "3");

  // So the retry of the failed one takes effect.
  batch.healed = true;
  asio::io_context again;
  const auto retried = mt::Run(again, AllAtOnce(db_.url(), {DeliveryOf(events[3], 1)}, &batch));
  EXPECT_EQ(retried[0].kind, Kind::kAck);
  EXPECT_EQ(Effects(), "4");
  EXPECT_EQ(Value("SELECT count(*) FROM inbox"), "4");
}

// The database is down: the delivery is held (not failed, no attempt used) until it answers, or
// until the inbox stops.
asio::awaitable<amqp::Outcome> HeldWhileTheDatabaseIsDown(amqp::Delivery delivery, Calls* calls, bool* held) {
  const auto executor = co_await asio::this_coro::executor;
  const std::string closed = "postgresql://postgres@127.0.0.1:" + std::to_string(mt::FreePort()) + "/none";
  pg::Pool pool(executor, {.conninfo = closed, .max_size = 1, .connect_timeout = 200ms});
  Inbox inbox(pool, kConsumer, {});
  inbox.On("OrderCreated", [calls](pg::Transaction& transaction, const Envelope& event) {
    return Record(transaction, event, *calls);
  });
  auto outcome = asio::co_spawn(executor, inbox.Handle(std::move(delivery)), asio::use_future);
  asio::steady_timer wait(executor, 1s);
  co_await wait.async_wait(asio::use_awaitable);
  *held = outcome.wait_for(0s) != std::future_status::ready;
  inbox.Stop();
  auto* o = &outcome;
  co_await mt::WaitUntil([o] { return o->wait_for(0s) == std::future_status::ready; });
  co_return outcome.get();
}

TEST_F(InboxTest, AnUnavailableDatabaseHoldsTheDeliveryInsteadOfFailingIt) {
  bool held = false;
  asio::io_context io;
  const amqp::Outcome outcome =
      mt::Run(io, HeldWhileTheDatabaseIsDown(DeliveryOf(OrderCreated(1, {}), 4), &calls_, &held));
  EXPECT_TRUE(held);
  EXPECT_EQ(outcome.kind,
            Kind::kDeadLetter);  // only after Stop: then it counts as this last attempt's failure
  EXPECT_EQ(calls_.count, 0);
}

TEST_F(InboxTest, CleanupDeletesOnlyOldEntriesOfItsConsumer) {
  mt::ExecSync(db_.url(),
               "INSERT INTO inbox (consumer, event_id, processed_at) VALUES "
               "('stock', gen_random_uuid(), now() - interval '8 days'),"
               "('stock', gen_random_uuid(), now() - interval '9 days'),"
               "('stock', gen_random_uuid(), now() - interval '1 day'),"
               "('payment', gen_random_uuid(), now() - interval '30 days')");
  asio::io_context io;
  const auto deleted = mt::Run(io, [](std::string url) -> asio::awaitable<std::int64_t> {
    const auto executor = co_await asio::this_coro::executor;
    pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
    co_return co_await messaging::DeleteProcessed(pool, kConsumer, std::chrono::hours(24 * 7), 100);
  }(db_.url()));
  EXPECT_EQ(deleted, 2);
  EXPECT_EQ(Value("SELECT string_agg(consumer, ',' ORDER BY consumer) FROM inbox"), "payment,stock");
}

}  // namespace
