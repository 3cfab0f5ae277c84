#include "platform/messaging/outbox_relay.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "platform/core/faults.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/metrics/metrics.hpp"
#include "platform/pg/listener.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::messaging {
namespace {

namespace asio = boost::asio;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct RelayMetrics {
  prometheus::Gauge& backlog;
  prometheus::Counter& published;
  prometheus::Histogram& lag;
};

RelayMetrics& Metrics() {
  static RelayMetrics metrics{
      metrics::GaugeFamily(metrics::Default(), "outbox_backlog", "Outbox rows not yet published").Add({}),
      metrics::CounterFamily(metrics::Default(), "outbox_published_total",
                             "Outbox rows published and confirmed")
          .Add({}),
      metrics::HistogramFamily(metrics::Default(), "outbox_relay_lag_seconds",
                               "Time from an outbox row's creation to its confirmation by the broker")
          .Add({}, prometheus::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                           0.5, 1, 2.5, 5, 10, 30, 60, 300}),
  };
  return metrics;
}

}  // namespace

struct OutboxRelay::State {
  State(asio::any_io_executor e, pg::Pool& p, Publish f, RelayOptions o)
      : executor(e),
        pool(p),
        publish(std::move(f)),
        options(std::move(o)),
        wake(e),
        pause(e),
        cleanup(e),
        count(e) {}

  asio::any_io_executor executor;
  pg::Pool& pool;
  Publish publish;
  RelayOptions options;
  std::unique_ptr<pg::Listener> listener;
  pg::Subscription committed;  // in-process: an Append on this pool has committed
  asio::steady_timer wake;   // idle wait, cut short by a notification
  asio::steady_timer pause;  // back-off after a failure, cut short only by Stop
  asio::steady_timer cleanup;
  asio::steady_timer count;
  bool signalled = false;
  bool started = false;
  bool stopped = false;

  void Signal() {
    signalled = true;
    wake.cancel();
  }
};

namespace {

using State = OutboxRelay::State;

// Publishes the rows `transaction` claimed, waits for the broker's confirms, marks them sent and
// commits.
asio::awaitable<std::size_t> PublishClaimed(State& s, pg::Transaction& transaction, std::vector<OutboxRow> rows) {
  std::vector<amqp::OutgoingMessage> batch;
  std::vector<std::int64_t> ids;
  batch.reserve(rows.size());
  ids.reserve(rows.size());
  for (const auto& row : rows) {
    batch.push_back(ToMessage(row));
    ids.push_back(row.id);
  }
  co_await s.publish(std::move(batch));
  core::FaultPoint("outbox.after_publish");
  const std::vector<double> lags = co_await MarkSent(transaction, std::move(ids));
  co_await transaction.Commit();

  auto& m = Metrics();
  m.published.Increment(static_cast<double>(rows.size()));
  for (const double lag : lags) m.lag.Observe(std::max(lag, 0.0));
  co_return rows.size();
}

asio::awaitable<std::size_t> RelayRound(State& s) {
  pg::Transaction transaction = co_await s.pool.Begin();
  std::vector<OutboxRow> rows = co_await ClaimUnsent(transaction, s.options.batch_size);
  if (rows.empty()) {
    co_await transaction.Commit();
    co_return 0;
  }
  co_return co_await PublishClaimed(s, transaction, std::move(rows));
}

// The rounds of one pass that are still publishing.
struct Pipeline {
  explicit Pipeline(const asio::any_io_executor& executor) : changed(executor) {}
  std::size_t in_flight = 0;
  std::exception_ptr error;   // the first failure
  asio::steady_timer changed;  // cancelled whenever a round ends
};

asio::awaitable<void> RoundEnded(Pipeline& p) {
  p.changed.expires_at(asio::steady_timer::time_point::max());
  co_await p.changed.async_wait(kTuple);
}

asio::awaitable<void> FinishRound(std::shared_ptr<State> s, std::shared_ptr<Pipeline> p, pg::Transaction transaction,
                                  std::vector<OutboxRow> rows) {
  try {
    co_await PublishClaimed(*s, transaction, std::move(rows));
  } catch (...) {
    if (!p->error) p->error = std::current_exception();
  }
  --p->in_flight;
  p->changed.cancel();
}

// Claims batches one after another until a claim comes back short, while up to rounds_in_flight
// claimed batches are being published, confirmed and marked, each in its own transaction. The
// rounds start publishing in claim order, so a relay publishes oldest first unless a round fails.
// Throws the first failure once every round of the pass has ended (failed rounds rolled back).
asio::awaitable<void> RelayPass(std::shared_ptr<State> s) {
  auto p = std::make_shared<Pipeline>(s->executor);
  const std::size_t limit = std::max<std::size_t>(1, s->options.rounds_in_flight);
  bool more = true;
  while (more && !s->stopped && !p->error) {
    if (p->in_flight >= limit) {
      co_await RoundEnded(*p);
      continue;
    }
    try {
      pg::Transaction transaction = co_await s->pool.Begin();
      std::vector<OutboxRow> rows = co_await ClaimUnsent(transaction, s->options.batch_size);
      more = rows.size() >= s->options.batch_size;
      if (rows.empty()) {
        co_await transaction.Commit();
      } else {
        ++p->in_flight;
        asio::co_spawn(s->executor, FinishRound(s, p, std::move(transaction), std::move(rows)),
                       log::OnFailure{"outbox relay round"});
      }
    } catch (...) {
      p->error = std::current_exception();
    }
  }
  while (p->in_flight > 0) co_await RoundEnded(*p);
  if (p->error) std::rethrow_exception(p->error);
}

asio::awaitable<void> RelayLoop(std::shared_ptr<State> s) {
  auto backoff = s->options.min_backoff;
  while (!s->stopped) {
    s->signalled = false;
    bool failed = false;
    try {
      co_await RelayPass(s);
      backoff = s->options.min_backoff;
    } catch (const std::exception& e) {
      log::Warn("outbox relay round failed; retrying",
                {{"error", e.what()}, {"retry_in_ms", backoff.count()}});
      failed = true;
    }
    if (failed) {
      s->pause.expires_after(backoff);
      co_await s->pause.async_wait(kTuple);
      backoff = std::min(backoff * 2, s->options.max_backoff);
      continue;
    }
    if (s->signalled || s->stopped) continue;
    s->wake.expires_after(s->options.poll_interval);
    co_await s->wake.async_wait(kTuple);
  }
}

asio::awaitable<void> CleanupLoop(std::shared_ptr<State> s) {
  while (!s->stopped) {
    s->cleanup.expires_after(s->options.cleanup_interval);
    co_await s->cleanup.async_wait(kTuple);
    if (s->stopped) break;
    try {
      std::int64_t deleted = 0;
      std::int64_t total = 0;
      do {
        deleted = co_await DeleteSent(s->pool, s->options.cleanup_after, s->options.cleanup_batch);
        total += deleted;
      } while (!s->stopped && deleted >= static_cast<std::int64_t>(s->options.cleanup_batch));
      if (total > 0) log::Debug("outbox cleaned up", {{"deleted", total}});
    } catch (const std::exception& e) {
      log::Warn("outbox cleanup failed", {{"error", e.what()}});
    }
  }
}

asio::awaitable<void> BacklogLoop(std::shared_ptr<State> s) {
  while (!s->stopped) {
    try {
      Metrics().backlog.Set(static_cast<double>(co_await CountUnsent(s->pool)));
    } catch (const std::exception& e) {
      log::Debug("outbox backlog not counted", {{"error", e.what()}});
    }
    s->count.expires_after(s->options.backlog_interval);
    co_await s->count.async_wait(kTuple);
  }
}

}  // namespace

OutboxRelay::OutboxRelay(asio::any_io_executor executor, pg::Pool& pool, Publish publish,
                         RelayOptions options)
    : state_(std::make_shared<State>(executor, pool, std::move(publish), std::move(options))) {
  Metrics();
}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  auto& s = *state_;
  if (s.started || s.stopped) return;
  s.started = true;
  const std::weak_ptr<State> weak = state_;
  auto signal = [weak] {
    if (auto s = weak.lock()) s->Signal();
  };
  s.committed = s.pool.Subscribe(kOutboxChannel, signal);
  if (!s.options.listener_conninfo.empty()) {
    s.listener = std::make_unique<pg::Listener>(
        s.executor,
        pg::ListenerOptions{.conninfo = s.options.listener_conninfo, .channels = {kOutboxChannel}},
        [signal](const pg::Notification&) { signal(); }, signal);
    s.listener->Start();
  }
  asio::co_spawn(s.executor, RelayLoop(state_), log::OnFailure{"outbox relay"});
  asio::co_spawn(s.executor, CleanupLoop(state_), log::OnFailure{"outbox cleanup"});
  asio::co_spawn(s.executor, BacklogLoop(state_), log::OnFailure{"outbox backlog"});
}

void OutboxRelay::Stop() {
  auto& s = *state_;
  if (s.stopped) return;
  s.stopped = true;
  s.committed.Cancel();
  if (s.listener) s.listener->Stop();
  s.wake.cancel();
  s.pause.cancel();
  s.cleanup.cancel();
  s.count.cancel();
}

asio::awaitable<std::size_t> OutboxRelay::RelayOnce() {
  const std::shared_ptr<State> keep = state_;
  co_return co_await RelayRound(*keep);
}

}  // namespace microstore::messaging
