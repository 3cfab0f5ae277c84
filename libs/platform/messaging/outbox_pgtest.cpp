#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <stdexcept>

#include "platform/core/ids.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/messaging/migrations.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/messaging/outbox_relay.hpp"
#include "platform/pg/listener.hpp"
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
using Json = nlohmann::json;

Envelope Event(std::string type = "OrderCreated", std::int64_t version = 1) {
  return messaging::MakeEvent(std::move(type), 1, {"order", "42", version, "PENDING"}, Json{{"n", version}},
                              {"corr-" + std::to_string(version), "", ""}, "order", "node-1",
                              microstore::core::NewUuid(), std::chrono::system_clock::now());
}

std::vector<Envelope> Events(int count) {
  std::vector<Envelope> events;
  for (int i = 0; i < count; ++i) events.push_back(Event("OrderCreated", i + 1));
  return events;
}

class Outbox : public ::testing::Test {
 protected:
  void SetUp() override {
    asio::io_context io;
    mt::Run(io, Migrate(db_.url()));
  }

  static asio::awaitable<void> Migrate(std::string url) {
    const auto executor = co_await asio::this_coro::executor;
    pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
    co_await microstore::migrations::Apply(pool, messaging::Migrations(), messaging::kMigrationsComponent);
  }

  std::string Value(const std::string& sql) { return mt::QueryValueSync(db_.url(), sql); }

  mt::TempDatabase db_;
};

asio::awaitable<void> AppendCommitted(pg::Pool& pool, std::vector<Envelope> events) {
  pg::Transaction transaction = co_await pool.Begin();
  co_await messaging::Append(transaction, std::move(events));
  co_await transaction.Commit();
}

// Counts the in-process signals of a pool's outbox channel.
struct Signals {
  explicit Signals(pg::Pool& pool)
      : count(std::make_shared<int>(0)),
        subscription(pool.Subscribe(messaging::kOutboxChannel, [count = count] { ++*count; })) {}
  std::shared_ptr<int> count;
  pg::Subscription subscription;
};

asio::awaitable<void> AppendRolledBack(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 2});
  Signals signals(pool);
  pg::Transaction transaction = co_await pool.Begin();
  co_await messaging::Append(transaction, Events(3));
  co_await transaction.Rollback();
  EXPECT_EQ(*signals.count, 0);

  // Nor does a transaction whose commit fails signal.
  pg::Transaction failed = co_await pool.Begin();
  co_await messaging::Append(failed, Events(1));
  EXPECT_THROW(co_await failed.Query("SELECT 1/0"), pg::Error);
  EXPECT_THROW(co_await failed.Commit(), pg::Error);
  EXPECT_EQ(*signals.count, 0);
}

TEST_F(Outbox, AppendInARolledBackTransactionLeavesNothing) {
  asio::io_context io;
  mt::Run(io, AppendRolledBack(db_.url()));
  EXPECT_EQ(Value("SELECT count(*) FROM outbox"), "0");
}

struct Heard {
  std::vector<pg::Notification> notifications;
  bool connected = false;
};

asio::awaitable<void> AppendAndCommit(std::string url, std::vector<Envelope> events) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 2});
  pg::Pool elsewhere(executor, {.conninfo = url, .max_size = 1});
  Signals signals(pool);
  Signals other_pool(elsewhere);
  auto heard = std::make_shared<Heard>();
  pg::Listener listener(
      executor, {.conninfo = url, .channels = {messaging::kOutboxChannel}},
      [heard](const pg::Notification& n) { heard->notifications.push_back(n); },
      [heard] { heard->connected = true; });
  listener.Start();
  const Heard* h = heard.get();
  co_await mt::WaitUntil([h] { return h->connected; });

  // Two Appends in one transaction: one signal, after the commit, to this pool's subscribers.
  pg::Transaction transaction = co_await pool.Begin();
  std::vector<Envelope> first(events.begin(), events.begin() + 1);
  std::vector<Envelope> rest(events.begin() + 1, events.end());
  co_await messaging::Append(transaction, std::move(first));
  co_await messaging::Append(transaction, std::move(rest));
  EXPECT_EQ(*signals.count, 0);
  co_await transaction.Commit();
  EXPECT_EQ(*signals.count, 1);
  EXPECT_EQ(*other_pool.count, 0);

  // And no NOTIFY reached the database: the sentinel is the only notification heard.
  co_await pg::Notify(pool, "outbox", "sentinel");
  co_await mt::WaitUntil(
      [h] { return !h->notifications.empty() && h->notifications.back().payload == "sentinel"; });
  EXPECT_EQ(heard->notifications.size(), 1u);
  listener.Stop();

  // A cancelled subscription is not called again.
  signals.subscription.Cancel();
  pg::Transaction again = co_await pool.Begin();
  co_await messaging::Append(again, Events(1));
  co_await again.Rollback();
  EXPECT_EQ(*signals.count, 1);
}

TEST_F(Outbox, AppendAndCommitStoresTheEventsAndSignalsOnce) {
  const std::vector<Envelope> events = Events(3);
  asio::io_context io;
  mt::Run(io, AppendAndCommit(db_.url(), events));

  EXPECT_EQ(Value("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), "3");
  const std::string id = events[1].id;
  EXPECT_EQ(Value("SELECT exchange || ' ' || routing_key || ' ' || type || ' ' || correlation_id FROM outbox "
                  "WHERE event_id = '" +
                  id + "'"),
            "microstore.order OrderCreated OrderCreated corr-2");
  const auto parsed =
      messaging::ParseEnvelope(Value("SELECT body FROM outbox WHERE event_id = '" + id + "'"));
  ASSERT_TRUE(std::holds_alternative<Envelope>(parsed));
  EXPECT_EQ(std::get<Envelope>(parsed), events[1]);
  // Rows keep the order of the events.
  EXPECT_EQ(Value("SELECT string_agg(correlation_id, ',' ORDER BY id) FROM outbox"), "corr-1,corr-2,corr-3");
}

asio::awaitable<void> AppendDuplicate(std::string url, Envelope event) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 2});
  std::vector<Envelope> once(1, event);
  std::vector<Envelope> again(1, event);
  co_await AppendCommitted(pool, std::move(once));
  pg::Transaction transaction = co_await pool.Begin();
  auto append = messaging::Append(transaction, std::move(again));
  const auto error = co_await mt::Catch<pg::UniqueViolation>(std::move(append));
  EXPECT_TRUE(error.has_value());
}

TEST_F(Outbox, AnEventIdIsStoredOnce) {
  asio::io_context io;
  mt::Run(io, AppendDuplicate(db_.url(), Event()));
  EXPECT_EQ(Value("SELECT count(*) FROM outbox"), "1");
}

TEST_F(Outbox, ManyEventsInOneAppend) {
  asio::io_context io;
  mt::Run(io, [](std::string url) -> asio::awaitable<void> {
    const auto executor = co_await asio::this_coro::executor;
    pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
    co_await AppendCommitted(pool, Events(2500));
  }(db_.url()));
  EXPECT_EQ(Value("SELECT count(DISTINCT event_id) FROM outbox"), "2500");
  EXPECT_EQ(Value("SELECT string_agg(correlation_id, ',' ORDER BY id) FROM (SELECT * FROM outbox ORDER BY id "
                  "OFFSET 998 LIMIT 4) t"),
            "corr-999,corr-1000,corr-1001,corr-1002");
}

asio::awaitable<void> AppendDraftsCommitted(std::string url, std::vector<messaging::EventDraft> drafts,
                                            messaging::EventContext context,
                                            std::chrono::system_clock::time_point now) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
  pg::Transaction transaction = co_await pool.Begin();
  const messaging::Outbox outbox("stock", "stock-node-2", [now] { return now; });
  co_await outbox.Append(transaction, std::move(drafts), std::move(context));
  co_await transaction.Commit();
}

std::vector<Envelope> StoredEnvelopes(const std::string& url) {
  const std::string bodies = mt::QueryValueSync(url, "SELECT json_agg(body::json ORDER BY id) FROM outbox");
  std::vector<Envelope> events;
  for (const auto& body : Json::parse(bodies)) {
    auto parsed = messaging::ParseEnvelope(body.dump());
    if (auto* error = std::get_if<messaging::EnvelopeError>(&parsed)) ADD_FAILURE() << error->message;
    if (auto* event = std::get_if<Envelope>(&parsed)) events.push_back(std::move(*event));
  }
  return events;
}

TEST_F(Outbox, AppendDraftsStoresTheProducersEventsWithFreshIdsAndOneTime) {
  std::vector<messaging::EventDraft> drafts;
  drafts.push_back({"StockReserved", {"reservation", "order-1", 1, "BOOKED"}, Json{{"total_minor", 1999}}});
  drafts.push_back({.type = "StockLevelChanged",
                    .aggregate = {"stock_item", "product-1", 4, "IN_STOCK"},
                    .payload = Json{{"free", 3}},
                    .schema_version = 2});
  const auto now = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'795'428'000'123));
  asio::io_context io;
  mt::Run(io, AppendDraftsCommitted(db_.url(), drafts, {"corr-9", "req-3", "00-trace"}, now));

  const std::vector<Envelope> events = StoredEnvelopes(db_.url());
  ASSERT_EQ(events.size(), 2u);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].type, drafts[i].type);
    EXPECT_EQ(events[i].aggregate, drafts[i].aggregate);
    EXPECT_EQ(events[i].payload, drafts[i].payload);
    EXPECT_EQ(events[i].producer, "stock");
    EXPECT_EQ(events[i].node_id, "stock-node-2");
    EXPECT_EQ(events[i].occurred_at, "2026-11-23T10:00:00.123Z");
    EXPECT_EQ(events[i].correlation_id, "corr-9");
    EXPECT_EQ(events[i].causation_id, "req-3");
    EXPECT_EQ(events[i].traceparent, "00-trace");
    EXPECT_EQ(microstore::core::CanonicalUuid(events[i].id), events[i].id);
  }
  EXPECT_EQ(events[0].schema_version, 1);  // the default
  EXPECT_EQ(events[1].schema_version, 2);
  EXPECT_NE(events[0].id, events[1].id);
  EXPECT_EQ(Value("SELECT string_agg(exchange || ' ' || routing_key, ',' ORDER BY id) FROM outbox"),
            "microstore.stock StockReserved,microstore.stock StockLevelChanged");
}

TEST_F(Outbox, AppendDraftsWithoutACorrelationStartsAFlowPerEvent) {
  const messaging::EventDraft archived{"ProductArchived", {"product", "p-1", 3, "ARCHIVED"}, Json()};
  std::vector<messaging::EventDraft> drafts(2, archived);
  asio::io_context io;
  mt::Run(io, AppendDraftsCommitted(db_.url(), drafts, {}, std::chrono::system_clock::now()));

  const std::vector<Envelope> events = StoredEnvelopes(db_.url());
  ASSERT_EQ(events.size(), 2u);
  for (const auto& event : events) {
    EXPECT_EQ(event.correlation_id, event.id);
    EXPECT_EQ(event.causation_id, "");
    EXPECT_EQ(event.payload, Json::object());
  }
}

TEST_F(Outbox, AppendDraftsOfNothingStoresNothing) {
  asio::io_context io;
  mt::Run(io, AppendDraftsCommitted(db_.url(), {}, {"corr-1", "", ""}, std::chrono::system_clock::now()));
  EXPECT_EQ(Value("SELECT count(*) FROM outbox"), "0");
}

std::vector<std::int64_t> Ids(const std::vector<messaging::OutboxRow>& rows) {
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(row.id);
  return ids;
}

// A claim that waited for a locked row (no SKIP LOCKED) would wait forever here: make it fail.
std::string WithLockTimeout(const std::string& url) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-c%20lock_timeout%3D2000";
}

asio::awaitable<void> TwoClaimers(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = WithLockTimeout(url), .max_size = 3});
  co_await AppendCommitted(pool, Events(10));

  pg::Transaction first = co_await pool.Begin();
  pg::Transaction second = co_await pool.Begin();
  const auto a = co_await messaging::ClaimUnsent(first, 6);
  const auto b = co_await messaging::ClaimUnsent(second, 6);
  EXPECT_EQ(Ids(a), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(Ids(b), (std::vector<std::int64_t>{7, 8, 9, 10}));
  EXPECT_EQ(a[0].exchange, "microstore.order");
  EXPECT_EQ(a[0].routing_key, "OrderCreated");

  const amqp::OutgoingMessage message = messaging::ToMessage(a[0]);
  EXPECT_EQ(message.message_id, a[0].event_id);
  EXPECT_EQ(message.body, a[0].body);
  EXPECT_EQ(message.correlation_id, "corr-1");

  // First marks its rows sent and commits; second gives up (a relay whose publish failed).
  const auto lags = co_await messaging::MarkSent(first, Ids(a));
  EXPECT_EQ(lags.size(), 6u);
  for (const double lag : lags) EXPECT_GE(lag, 0.0);
  co_await first.Commit();
  co_await second.Rollback();

  pg::Transaction third = co_await pool.Begin();
  const auto c = co_await messaging::ClaimUnsent(third, 100);
  EXPECT_EQ(Ids(c), (std::vector<std::int64_t>{7, 8, 9, 10}));
  EXPECT_EQ(co_await messaging::CountUnsent(pool), 4);
}

TEST_F(Outbox, ConcurrentClaimsNeverReturnTheSameRow) {
  asio::io_context io;
  mt::Run(io, TwoClaimers(db_.url()));
}

// Claimers racing on the database for real: each claims, holds its rows a moment, marks them sent.
asio::awaitable<void> Claimer(pg::Pool& pool, std::multiset<std::int64_t>& claimed) {
  const auto executor = co_await asio::this_coro::executor;
  asio::steady_timer hold(executor);
  for (;;) {
    pg::Transaction transaction = co_await pool.Begin();
    const auto rows = co_await messaging::ClaimUnsent(transaction, 7);
    if (rows.empty()) co_return;
    for (const auto& row : rows) claimed.insert(row.id);
    hold.expires_after(2ms);
    co_await hold.async_wait(asio::use_awaitable);
    co_await messaging::MarkSent(transaction, Ids(rows));
    co_await transaction.Commit();
  }
}

asio::awaitable<void> RacingClaimers(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 5});
  co_await AppendCommitted(pool, Events(300));
  std::multiset<std::int64_t> claimed;
  std::vector<std::future<void>> claimers;
  for (int i = 0; i < 4; ++i)
    claimers.push_back(asio::co_spawn(executor, Claimer(pool, claimed), asio::use_future));
  const auto* all = &claimers;
  co_await mt::WaitUntil([all] {
    for (const auto& claimer : *all) {
      if (claimer.wait_for(0s) != std::future_status::ready) return false;
    }
    return true;
  });
  for (auto& claimer : claimers) claimer.get();
  EXPECT_EQ(claimed.size(), 300u);
  EXPECT_EQ(std::set<std::int64_t>(claimed.begin(), claimed.end()).size(), 300u);
}

TEST_F(Outbox, RacingClaimersPublishEachRowOnce) {
  asio::io_context io;
  mt::Run(io, RacingClaimers(db_.url()));
  EXPECT_EQ(Value("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), "0");
}

TEST_F(Outbox, CleanupDeletesOnlyOldSentRows) {
  asio::io_context io;
  mt::Run(io, [](std::string url) -> asio::awaitable<void> {
    const auto executor = co_await asio::this_coro::executor;
    pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
    co_await AppendCommitted(pool, Events(6));
  }(db_.url()));
  // 1-3: sent two days ago; 4: sent a minute ago; 5: unsent for two days; 6: unsent.
  mt::ExecSync(
      db_.url(),
      "UPDATE outbox SET created_at = now() - interval '3 days', sent_at = now() - interval '2 days' "
      "WHERE id <= 3;"
      "UPDATE outbox SET sent_at = now() - interval '1 minute' WHERE id = 4;"
      "UPDATE outbox SET created_at = now() - interval '2 days' WHERE id = 5");
  const auto deleted = mt::Run(io, [](std::string url) -> asio::awaitable<std::vector<std::int64_t>> {
    const auto executor = co_await asio::this_coro::executor;
    pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
    std::vector<std::int64_t> counts;
    counts.push_back(co_await messaging::DeleteSent(pool, std::chrono::hours(24), 2));
    counts.push_back(co_await messaging::DeleteSent(pool, std::chrono::hours(24), 2));
    counts.push_back(co_await messaging::DeleteSent(pool, std::chrono::hours(24), 2));
    co_return counts;
  }(db_.url()));
  EXPECT_EQ(deleted, (std::vector<std::int64_t>{2, 1, 0}));
  EXPECT_EQ(Value("SELECT string_agg(id::text, ',' ORDER BY id) FROM outbox"), "4,5,6");
}

// --- the relay, with the broker replaced by a function that records batches (or fails) ---

struct Broker {
  std::vector<amqp::OutgoingMessage> published;
  std::map<std::string, int> times;  // event id → how many times published
  int failures_left = 0;
  int calls = 0;
  std::chrono::milliseconds confirm_delay{0};
  std::vector<std::string> submitted;  // correlation ids, in the order publishes were called
  int in_flight = 0;
  int max_in_flight = 0;
};

asio::awaitable<void> PublishTo(std::shared_ptr<Broker> broker, std::vector<amqp::OutgoingMessage> batch) {
  ++broker->calls;
  for (const auto& message : batch) broker->submitted.push_back(message.correlation_id);
  broker->max_in_flight = std::max(broker->max_in_flight, ++broker->in_flight);
  if (broker->confirm_delay.count() > 0) {
    const auto executor = co_await asio::this_coro::executor;
    asio::steady_timer confirm(executor, broker->confirm_delay);
    co_await confirm.async_wait(asio::use_awaitable);
  }
  --broker->in_flight;
  if (broker->failures_left > 0) {
    --broker->failures_left;
    throw std::runtime_error("broker said no");
  }
  for (auto& message : batch) {
    ++broker->times[message.message_id];
    broker->published.push_back(std::move(message));
  }
}

messaging::OutboxRelay::Publish Into(std::shared_ptr<Broker> broker) {
  return [broker](std::vector<amqp::OutgoingMessage> batch) { return PublishTo(broker, std::move(batch)); };
}

// Polling is effectively off in both: only a signal can wake the relay once its first pass (which
// finds nothing) is over.
messaging::RelayOptions Unpolled(std::string listener_conninfo = {}) {
  return {.listener_conninfo = std::move(listener_conninfo), .poll_interval = std::chrono::hours(1)};
}

asio::awaitable<void> Settle() {
  asio::steady_timer settle(co_await asio::this_coro::executor, 300ms);
  co_await settle.async_wait(asio::use_awaitable);
}

asio::awaitable<void> RelayWokenByTheCommit(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 3});
  auto broker = std::make_shared<Broker>();
  messaging::OutboxRelay relay(executor, pool, Into(broker), Unpolled());
  relay.Start();
  co_await Settle();
  const Broker* b = broker.get();
  EXPECT_EQ(broker->calls, 0);
  std::vector<Envelope> events = Events(2);
  const std::string first_id = events[0].id;
  co_await AppendCommitted(pool, std::move(events));
  co_await mt::WaitUntil([b] { return b->published.size() == 2; });
  EXPECT_EQ(broker->published[0].message_id, first_id);
  EXPECT_EQ(broker->published[0].exchange, "microstore.order");
  EXPECT_EQ(broker->published[0].routing_key, "OrderCreated");
  EXPECT_EQ(broker->published[0].type, "OrderCreated");
  relay.Stop();
}

TEST_F(Outbox, RelayIsWokenByTheCommitAndMarksRowsSent) {
  asio::io_context io;
  mt::Run(io, RelayWokenByTheCommit(db_.url()));
  EXPECT_EQ(Value("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), "0");
  EXPECT_EQ(Value("SELECT count(*) FROM outbox WHERE sent_at >= created_at"), "2");
}

// Rows appended by another process (here: another pool) are not signalled in-process; a NOTIFY
// outbox from elsewhere wakes the relay for them.
asio::awaitable<void> RelayWokenByNotify(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 3});
  pg::Pool elsewhere(executor, {.conninfo = url, .max_size = 1});
  auto broker = std::make_shared<Broker>();
  messaging::OutboxRelay relay(executor, pool, Into(broker), Unpolled(url));
  relay.Start();
  const std::string* u = &url;
  co_await mt::WaitUntil([u] {
    // This database's listener only: the server may be shared with running services.
    return mt::QueryValueSync(*u,
                              "SELECT count(*) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND query LIKE 'LISTEN%'") == "1";
  });
  co_await Settle();
  co_await AppendCommitted(elsewhere, Events(2));
  co_await Settle();
  const Broker* b = broker.get();
  EXPECT_EQ(broker->calls, 0);
  co_await pg::Notify(elsewhere, messaging::kOutboxChannel, "");
  co_await mt::WaitUntil([b] { return b->published.size() == 2; });
  relay.Stop();
}

TEST_F(Outbox, RelayIsWokenByANotifyFromElsewhere) {
  asio::io_context io;
  mt::Run(io, RelayWokenByNotify(db_.url()));
  EXPECT_EQ(Value("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), "0");
}

asio::awaitable<void> RelayRetriesAFailedPublish(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 3});
  auto broker = std::make_shared<Broker>();
  broker->failures_left = 2;
  co_await AppendCommitted(pool, Events(3));
  messaging::OutboxRelay relay(
      executor, pool, Into(broker),
      {.poll_interval = std::chrono::hours(1), .min_backoff = 20ms, .max_backoff = 40ms});
  // A failed publish leaves every row of the batch unsent.
  EXPECT_TRUE((co_await mt::Catch<std::runtime_error>(relay.RelayOnce())).has_value());
  EXPECT_EQ(co_await messaging::CountUnsent(pool), 3);

  relay.Start();  // the first round fails too, then the back-off retries it
  const Broker* b = broker.get();
  co_await mt::WaitUntil([b] { return b->published.size() == 3; });
  EXPECT_EQ(broker->calls, 3);
  for (int i = 0; i < 50 && co_await messaging::CountUnsent(pool) != 0; ++i) {
    asio::steady_timer pause(executor, 10ms);
    co_await pause.async_wait(asio::use_awaitable);
  }
  EXPECT_EQ(co_await messaging::CountUnsent(pool), 0);
  relay.Stop();
}

TEST_F(Outbox, RelayLeavesRowsUnsentWhenThePublishFailsAndRetries) {
  asio::io_context io;
  mt::Run(io, RelayRetriesAFailedPublish(db_.url()));
}

asio::awaitable<void> RelayDrains(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 3});
  auto broker = std::make_shared<Broker>();
  co_await AppendCommitted(pool, Events(250));
  messaging::OutboxRelay relay(executor, pool, Into(broker), {.batch_size = 100});
  EXPECT_EQ(co_await relay.RelayOnce(), 100u);
  EXPECT_EQ(co_await relay.RelayOnce(), 100u);
  EXPECT_EQ(co_await relay.RelayOnce(), 50u);
  EXPECT_EQ(co_await relay.RelayOnce(), 0u);
  EXPECT_EQ(broker->calls, 3);
  EXPECT_EQ(broker->published.front().correlation_id, "corr-1");
  EXPECT_EQ(broker->published.back().correlation_id, "corr-250");
}

TEST_F(Outbox, RelayPublishesInBatchesOldestFirst) {
  asio::io_context io;
  mt::Run(io, RelayDrains(db_.url()));
  EXPECT_EQ(Value("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), "0");
}

asio::awaitable<void> TwoRelays(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 6});
  auto broker = std::make_shared<Broker>();
  broker->confirm_delay = 3ms;  // keeps rows locked while the other relay claims
  messaging::OutboxRelay one(executor, pool, Into(broker), {.batch_size = 10, .listener_conninfo = url});
  messaging::OutboxRelay two(executor, pool, Into(broker), {.batch_size = 10, .listener_conninfo = url});
  one.Start();
  two.Start();
  for (int i = 0; i < 20; ++i) co_await AppendCommitted(pool, Events(15));
  const Broker* b = broker.get();
  co_await mt::WaitUntil([b] { return b->times.size() == 300; });
  for (const auto& [id, times] : broker->times) EXPECT_EQ(times, 1) << id;
  EXPECT_EQ(broker->published.size(), 300u);
  one.Stop();
  two.Stop();
}

TEST_F(Outbox, TwoRelaysNeverPublishTheSameRow) {
  asio::io_context io;
  mt::Run(io, TwoRelays(db_.url()));
  EXPECT_EQ(Value("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), "0");
}

asio::awaitable<void> PipelinedRelay(std::string url, int failures) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 4});
  auto broker = std::make_shared<Broker>();
  broker->confirm_delay = 5ms;
  broker->failures_left = failures;
  co_await AppendCommitted(pool, Events(95));
  messaging::OutboxRelay relay(executor, pool, Into(broker),
                               {.batch_size = 10,
                                .rounds_in_flight = 3,
                                .poll_interval = std::chrono::hours(1),
                                .min_backoff = 10ms,
                                .max_backoff = 20ms});
  relay.Start();
  const Broker* b = broker.get();
  co_await mt::WaitUntil([b] { return b->published.size() == 95; });
  relay.Stop();
  // Rounds overlap (more than one in flight) and never exceed the bound; how many overlap at most
  // depends on how fast the database claims the next batch, so exactly 3 is not promised.
  EXPECT_GE(broker->max_in_flight, 2);
  EXPECT_LE(broker->max_in_flight, 3);
  for (const auto& [id, times] : broker->times) EXPECT_EQ(times, 1) << id;
  if (failures == 0) {
    // Claimed one after another and published in claim order: oldest first.
    EXPECT_EQ(broker->submitted.size(), 95u);
    for (std::size_t i = 0; i < 95 && i < broker->submitted.size(); ++i) EXPECT_EQ(broker->submitted[i], "corr-" + std::to_string(i + 1));
  }
  for (int i = 0; i < 50 && co_await messaging::CountUnsent(pool) != 0; ++i) {
    asio::steady_timer pause(executor, 10ms);
    co_await pause.async_wait(asio::use_awaitable);
  }
  EXPECT_EQ(co_await messaging::CountUnsent(pool), 0);
}

TEST_F(Outbox, RoundsInFlightPublishOldestFirstAndEachRowOnce) {
  asio::io_context io;
  mt::Run(io, PipelinedRelay(db_.url(), 0));
}

TEST_F(Outbox, AFailedRoundAmongRoundsInFlightIsRetriedAlone) {
  asio::io_context io;
  mt::Run(io, PipelinedRelay(db_.url(), 1));
  EXPECT_EQ(Value("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL"), "95");
}

}  // namespace
