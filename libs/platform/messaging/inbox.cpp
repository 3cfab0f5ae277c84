#include "platform/messaging/inbox.hpp"

#include "platform/core/text.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <optional>

#include "platform/core/faults.hpp"
#include "platform/log/log.hpp"
#include "platform/metrics/metrics.hpp"

namespace microstore::messaging {
namespace {

namespace asio = boost::asio;
using Kind = amqp::Outcome::Kind;

constexpr const char* kUnknownType = "unknown";
constexpr std::chrono::milliseconds kMinUnavailableBackoff{100};
constexpr std::chrono::milliseconds kMaxUnavailableBackoff{5000};
constexpr std::chrono::milliseconds kStopCheck{100};
constexpr const char* kUnparseable = "unparseable";

prometheus::Family<prometheus::Counter>& EventsFamily() {
  static auto& family = metrics::CounterFamily(metrics::Default(), "inbox_events_total",
                                               "Events handled by the inbox, by outcome");
  return family;
}

prometheus::Family<prometheus::Histogram>& DurationFamily() {
  static auto& family = metrics::HistogramFamily(metrics::Default(), "inbox_handling_seconds",
                                                 "Time to handle and commit one event");
  return family;
}

// Errors travel in a message header: keep them short.
std::string Shorten(std::string text) {
  if (text.size() <= 2000) return text;
  return core::TruncateUtf8(text, 2000) + "...";
}

// An event ready for its handler, waiting for a batch.
struct Pending {
  Pending(asio::any_io_executor executor, Envelope e, const EventHandler& h, std::string_view l, int a)
      : event(std::move(e)), handler(h), label(l), attempts(a), done(std::move(executor)) {}

  Envelope event;
  const EventHandler& handler;
  std::string_view label;
  int attempts;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  asio::steady_timer done;  // cancelled once `outcome` is set
  std::optional<amqp::Outcome> outcome;
};

}  // namespace

struct Inbox::State {
  State(pg::Pool& p, std::string c, Upcasters u, InboxOptions o)
      : pool(p),
        consumer(std::move(c)),
        upcasters(std::move(u)),
        options(std::move(o)),
        cleanup(p.executor()) {}

  pg::Pool& pool;
  std::string consumer;
  Upcasters upcasters;
  InboxOptions options;
  std::map<std::string, EventHandler, std::less<>> handlers;
  asio::steady_timer cleanup;
  std::deque<std::shared_ptr<Pending>> waiting;  // for the next batch
  bool batching = false;                         // HandleWaiting is running
  bool started = false;
  bool stopped = false;

  void Count(std::string_view type, const char* outcome) {
    EventsFamily()
        .Add({{"consumer", consumer}, {"type", std::string(type)}, {"outcome", outcome}})
        .Increment();
  }

  amqp::Outcome DeadLetter(std::string_view type, std::string error) {
    Count(type, "dead_lettered");
    return amqp::Outcome{Kind::kDeadLetter, Shorten(std::move(error)), 0};
  }

  // A failure that may pass: retry while attempts remain.
  amqp::Outcome Failure(const Envelope& event, std::string_view label, int attempts, std::string error) {
    const log::Context context{"", event.correlation_id};
    if (attempts + 1 < options.max_attempts) {
      const auto& delays = options.retry_delays;
      const auto delay =
          delays[std::min<std::size_t>(static_cast<std::size_t>(std::max(attempts, 0)), delays.size() - 1)];
      log::Warn(context, "event failed; will retry",
                {{"event_id", event.id},
                 {"type", event.type},
                 {"attempts", attempts + 1},
                 {"retry_in_ms", delay.count()},
                 {"error", error}});
      Count(label, "retried");
      return amqp::Outcome{Kind::kRetry, Shorten(std::move(error)), delay.count()};
    }
    log::Error(context, "event failed too often; dead-lettered",
               {{"event_id", event.id}, {"type", event.type}, {"attempts", attempts + 1}, {"error", error}});
    return DeadLetter(label, "failed " + std::to_string(attempts + 1) + " times; last error: " + error);
  }

  amqp::Outcome Poison(const Envelope& event, std::string_view label, std::string error) {
    log::Error(log::Context{"", event.correlation_id}, "event cannot be handled; dead-lettered",
               {{"event_id", event.id}, {"type", event.type}, {"error", error}});
    return DeadLetter(label, std::move(error));
  }
};

namespace {

using State = Inbox::State;

asio::awaitable<void> CleanupLoop(std::shared_ptr<State> s) {
  while (!s->stopped) {
    s->cleanup.expires_after(s->options.cleanup_interval);
    co_await s->cleanup.async_wait(asio::as_tuple(asio::use_awaitable));
    if (s->stopped) break;
    try {
      std::int64_t deleted = 0;
      do {
        deleted =
            co_await DeleteProcessed(s->pool, s->consumer, s->options.retention, s->options.cleanup_batch);
      } while (!s->stopped && deleted >= static_cast<std::int64_t>(s->options.cleanup_batch));
    } catch (const std::exception& e) {
      log::Warn("inbox cleanup failed", {{"consumer", s->consumer}, {"error", e.what()}});
    }
  }
}

}  // namespace

Inbox::Inbox(pg::Pool& pool, std::string consumer, Upcasters upcasters, InboxOptions options) {
  if (options.max_attempts < 1) throw std::invalid_argument("InboxOptions::max_attempts must be at least 1");
  if (options.retry_delays.empty())
    throw std::invalid_argument("InboxOptions::retry_delays must not be empty");
  state_ = std::make_shared<State>(pool, std::move(consumer), std::move(upcasters), std::move(options));
}

Inbox::~Inbox() { Stop(); }

void Inbox::On(std::string type, EventHandler handler) {
  if (!state_->handlers.emplace(type, std::move(handler)).second) {
    throw std::logic_error("inbox of " + state_->consumer + ": a handler for " + type +
                           " is already registered");
  }
}

std::vector<std::string> Inbox::Types() const {
  std::vector<std::string> types;
  for (const auto& [type, handler] : state_->handlers) types.push_back(type);
  return types;
}

amqp::Handler Inbox::Handler() {
  return [this](amqp::Delivery delivery) { return Handle(std::move(delivery)); };
}

namespace {

enum class Ending { kProcessed, kDuplicate, kPoison, kFailed, kAlone };

void Finish(Pending& pending, amqp::Outcome outcome) {
  pending.outcome = std::move(outcome);
  pending.done.cancel();
}

void CountProcessed(State& s, const Pending& pending) {
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - pending.started;
  DurationFamily()
      .Add({{"consumer", s.consumer}, {"type", std::string(pending.label)}}, metrics::LatencyBuckets())
      .Observe(took.count());
  s.Count(pending.label, "processed");
}

void LogDuplicate(State& s, const Pending& pending) {
  log::Info(log::Context{"", pending.event.correlation_id}, "duplicate event ignored",
            {{"event_id", pending.event.id}, {"type", pending.event.type}});
  s.Count(pending.label, "duplicate");
}

// Not the event's fault: the database went away. A batch then ends and its events are handled
// alone, which hold them until the database answers.
bool IsDatabaseUnavailable(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const pg::ConnectionFailed&) {
    return true;
  } catch (const pg::ConnectionLost&) {
    return true;
  } catch (const pg::PoolTimeout&) {
    return true;
  } catch (...) {
    return false;
  }
}

struct HandlerFailure {
  Ending ending;
  std::string error;
};

HandlerFailure Classify(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const pg::TransactionRollback& e) {
    return {Ending::kAlone, e.what()};  // a conflict: re-run, alone, up to conflict_retries
  } catch (const PoisonEvent& e) {
    return {Ending::kPoison, e.what()};
  } catch (const nlohmann::json::exception& e) {
    return {Ending::kPoison, std::string("unusable payload: ") + e.what()};
  } catch (const std::exception& e) {
    return {Ending::kFailed, e.what()};
  } catch (...) {
    return {Ending::kFailed, "unknown exception"};
  }
}

// One event in its own transaction: the inbox's behaviour for a batch of one, and for the events
// of a batch that could not commit as a whole.
asio::awaitable<amqp::Outcome> HandleAlone(std::shared_ptr<State> s, const Pending& pending) {
  // Stopped: the consumer settles nothing more, and the pool may be gone with the inbox.
  if (s->stopped) co_return amqp::Outcome{Kind::kRetry, "the inbox stopped", 0};
  const Envelope& event = pending.event;
  enum class Next { kFailed, kPoison, kConflict, kUnavailable };
  std::string failure;
  int conflicts = 0;
  auto backoff = kMinUnavailableBackoff;
  for (;;) {
    Next next = Next::kFailed;
    try {
      pg::Transaction transaction = co_await s->pool.Begin(s->options.isolation);
      const pg::Result inserted = co_await transaction.Query(
          "INSERT INTO inbox (consumer, event_id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING", s->consumer,
          event.id);
      if (inserted.AffectedRows() == 0) {
        co_await transaction.Commit();
        LogDuplicate(*s, pending);
        co_return amqp::Outcome{};
      }
      co_await pending.handler(transaction, event);
      co_await transaction.Commit();
      core::FaultPoint("inbox.after_commit");
      CountProcessed(*s, pending);
      co_return amqp::Outcome{};
    } catch (...) {
      const std::exception_ptr error = std::current_exception();
      HandlerFailure classified = Classify(error);
      failure = std::move(classified.error);
      if (IsDatabaseUnavailable(error)) {
        next = Next::kUnavailable;
      } else if (classified.ending == Ending::kAlone) {
        next = conflicts < s->options.conflict_retries ? Next::kConflict : Next::kFailed;
      } else if (classified.ending == Ending::kPoison) {
        next = Next::kPoison;
      }
    }
    if (next == Next::kPoison) co_return s->Poison(event, pending.label, failure);
    if (next == Next::kFailed || s->stopped) break;
    if (next == Next::kConflict) {
      ++conflicts;
      log::Info(log::Context{"", event.correlation_id}, "event transaction conflicted; re-running",
                {{"event_id", event.id}, {"type", event.type}, {"error", failure}});
      continue;
    }
    if (backoff == kMinUnavailableBackoff) {
      log::Warn(log::Context{"", event.correlation_id},
                "database unavailable; holding the event until it answers",
                {{"event_id", event.id}, {"type", event.type}, {"error", failure}});
    }
    asio::steady_timer pause(s->pool.executor());
    for (auto waited = std::chrono::milliseconds(0); waited < backoff && !s->stopped; waited += kStopCheck) {
      pause.expires_after(kStopCheck);
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    backoff = std::min(backoff * 2, kMaxUnavailableBackoff);
  }
  co_return s->Failure(event, pending.label, pending.attempts, failure);
}

// Several events in one transaction: one inbox INSERT for all (its RETURNING tells the fresh ones
// from duplicates, a second copy within the batch included), each handler under its own savepoint,
// one commit. A handler that fails is rolled back to its savepoint, its inbox row deleted, and
// gets its own outcome; the others commit. Nothing is settled before the commit, so a crash
// mid-batch leaves every delivery unacknowledged and the inbox as it was.
asio::awaitable<void> HandleBatch(std::shared_ptr<State> s, std::vector<std::shared_ptr<Pending>> batch) {
  std::vector<HandlerFailure> endings(batch.size(), HandlerFailure{Ending::kProcessed, {}});
  std::optional<std::string> failure;  // why the batch as a whole did not commit
  try {
    pg::Transaction transaction = co_await s->pool.Begin(s->options.isolation);
    std::string ids = "{";
    for (const auto& pending : batch) {
      if (ids.size() > 1) ids += ',';
      ids += pending->event.id;  // a UUID (ParseEnvelope checked it): nothing to quote
    }
    ids += '}';
    const pg::Result inserted = co_await transaction.Query(
        "INSERT INTO inbox (consumer, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING "
        "RETURNING event_id::text",
        s->consumer, ids);
    std::vector<std::string> fresh;
    for (int row = 0; row < inserted.Rows(); ++row) fresh.push_back(inserted.Get<std::string>(row, 0));
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const Envelope& event = batch[i]->event;
      const auto found = std::find(fresh.begin(), fresh.end(), event.id);
      if (found == fresh.end()) {
        endings[i].ending = Ending::kDuplicate;
        continue;
      }
      fresh.erase(found);
      co_await transaction.Query("SAVEPOINT event");
      std::exception_ptr error;
      try {
        co_await batch[i]->handler(transaction, event);
        if (transaction.connection().GetTransactionState() == pg::TransactionState::kInError)
          throw std::runtime_error("a statement of the handler failed and the handler went on");
      } catch (...) {
        error = std::current_exception();
      }
      if (!error) {
        co_await transaction.Query("RELEASE SAVEPOINT event");
        continue;
      }
      if (IsDatabaseUnavailable(error)) std::rethrow_exception(error);
      endings[i] = Classify(error);
      co_await transaction.Query("ROLLBACK TO SAVEPOINT event");
      co_await transaction.Query("DELETE FROM inbox WHERE consumer = $1 AND event_id = $2::uuid", s->consumer,
                                 event.id);
    }
    core::FaultPoint("inbox.before_batch_commit");
    co_await transaction.Commit();
    core::FaultPoint("inbox.after_commit");
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (failure) {
    // Nothing of the batch was applied: each event goes its own way, with every rule of the inbox.
    log::Info("inbox batch did not commit; handling its events one by one",
              {{"consumer", s->consumer}, {"events", batch.size()}, {"error", *failure}});
    for (const auto& pending : batch) Finish(*pending, co_await HandleAlone(s, *pending));
    co_return;
  }
  std::vector<std::shared_ptr<Pending>> alone;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    Pending& pending = *batch[i];
    switch (endings[i].ending) {
      case Ending::kProcessed:
        CountProcessed(*s, pending);
        Finish(pending, amqp::Outcome{});
        break;
      case Ending::kDuplicate:
        LogDuplicate(*s, pending);
        Finish(pending, amqp::Outcome{});
        break;
      case Ending::kPoison:
        Finish(pending, s->Poison(pending.event, pending.label, std::move(endings[i].error)));
        break;
      case Ending::kFailed:
        Finish(pending, s->Failure(pending.event, pending.label, pending.attempts, std::move(endings[i].error)));
        break;
      case Ending::kAlone:
        alone.push_back(batch[i]);
        break;
    }
  }
  for (const auto& pending : alone) Finish(*pending, co_await HandleAlone(s, *pending));
}

// Runs the waiting events, a batch at a time, until none is left. One batch at a time: batches
// running side by side would lock rows in different orders and deadlock. It yields to the event
// loop first, so that the deliveries already queued there join the first batch.
asio::awaitable<void> HandleWaiting(std::shared_ptr<State> s) {
  co_await asio::post(s->pool.executor(), asio::use_awaitable);
  while (!s->waiting.empty()) {
    if (s->stopped) {
      // The consumer stopped first and settles nothing more; the pool may be gone with the inbox.
      for (const auto& pending : s->waiting) Finish(*pending, amqp::Outcome{Kind::kRetry, "the inbox stopped", 0});
      s->waiting.clear();
      break;
    }
    std::vector<std::shared_ptr<Pending>> batch;
    const std::size_t size = std::min(s->waiting.size(), std::max<std::size_t>(s->options.max_batch, 1));
    for (std::size_t i = 0; i < size; ++i) {
      batch.push_back(std::move(s->waiting.front()));
      s->waiting.pop_front();
    }
    if (batch.size() == 1) {
      Finish(*batch.front(), co_await HandleAlone(s, *batch.front()));
    } else {
      co_await HandleBatch(s, std::move(batch));
    }
  }
  s->batching = false;
}

}  // namespace

asio::awaitable<amqp::Outcome> Inbox::Handle(amqp::Delivery delivery) {
  const std::shared_ptr<State> s = state_;
  auto parsed = ParseEnvelope(delivery.body);
  if (const auto* error = std::get_if<EnvelopeError>(&parsed)) {
    log::Error(log::Context{"", delivery.correlation_id}, "unparseable event; dead-lettered",
               {{"message_id", delivery.message_id}, {"type", delivery.type}, {"error", error->message}});
    co_return s->DeadLetter(kUnparseable, "unparseable envelope: " + error->message);
  }
  Envelope event = std::move(std::get<Envelope>(parsed));

  const auto handler = s->handlers.find(event.type);
  if (handler == s->handlers.end()) {
    co_return s->Failure(event, kUnknownType, delivery.attempts,
                         "no handler for event type " + event.type + " in " + s->consumer);
  }
  const std::string& label = handler->first;
  if (auto error = s->upcasters.Upcast(event)) co_return s->Poison(event, label, error->message);

  auto pending =
      std::make_shared<Pending>(s->pool.executor(), std::move(event), handler->second, label, delivery.attempts);
  s->waiting.push_back(pending);
  if (!s->batching) {
    s->batching = true;
    // Spawned, not awaited: this delivery waits for its batch like the others.
    asio::co_spawn(s->pool.executor(), HandleWaiting(s), log::OnFailure{"inbox batches"});
  }
  pending->done.expires_at(asio::steady_timer::time_point::max());
  while (!pending->outcome) co_await pending->done.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return std::move(*pending->outcome);
}

void Inbox::Start() {
  auto& s = *state_;
  if (s.started || s.stopped) return;
  s.started = true;
  asio::co_spawn(s.pool.executor(), CleanupLoop(state_), log::OnFailure{"inbox cleanup"});
}

void Inbox::Stop() {
  state_->stopped = true;
  state_->cleanup.cancel();
}

asio::awaitable<std::int64_t> DeleteProcessed(pg::Pool& pool, std::string consumer,
                                              std::chrono::seconds older_than, std::size_t limit) {
  const pg::Result result = co_await pool.Query(
      "DELETE FROM inbox WHERE consumer = $1 AND event_id IN (SELECT event_id FROM inbox WHERE consumer = $1 "
      "AND processed_at < now() - make_interval(secs => $2::float8) LIMIT $3)",
      consumer, older_than.count(), limit);
  co_return result.AffectedRows();
}

}  // namespace microstore::messaging
