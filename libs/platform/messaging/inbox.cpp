#include "platform/messaging/inbox.hpp"

#include "platform/core/text.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

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

  const auto started = std::chrono::steady_clock::now();
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
        log::Info(log::Context{"", event.correlation_id}, "duplicate event ignored",
                  {{"event_id", event.id}, {"type", event.type}});
        s->Count(label, "duplicate");
        co_return amqp::Outcome{};
      }
      co_await handler->second(transaction, event);
      co_await transaction.Commit();
      core::FaultPoint("inbox.after_commit");
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      DurationFamily()
          .Add({{"consumer", s->consumer}, {"type", label}}, metrics::LatencyBuckets())
          .Observe(took.count());
      s->Count(label, "processed");
      co_return amqp::Outcome{};
    } catch (const pg::TransactionRollback& e) {
      next = conflicts < s->options.conflict_retries ? Next::kConflict : Next::kFailed;
      failure = e.what();
    } catch (const pg::ConnectionFailed& e) {
      next = Next::kUnavailable;
      failure = e.what();
    } catch (const pg::ConnectionLost& e) {
      next = Next::kUnavailable;
      failure = e.what();
    } catch (const pg::PoolTimeout& e) {
      next = Next::kUnavailable;
      failure = e.what();
    } catch (const PoisonEvent& e) {
      next = Next::kPoison;
      failure = e.what();
    } catch (const nlohmann::json::exception& e) {
      next = Next::kPoison;
      failure = std::string("unusable payload: ") + e.what();
    } catch (const std::exception& e) {
      failure = e.what();
    } catch (...) {
      failure = "unknown exception";
    }
    if (next == Next::kPoison) co_return s->Poison(event, label, failure);
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
  co_return s->Failure(event, label, delivery.attempts, failure);
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
