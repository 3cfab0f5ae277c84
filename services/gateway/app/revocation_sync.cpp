#include "gateway/app/revocation_sync.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/domain/revocations.hpp"
#include "gateway/infra/revocation_store.hpp"
#include "platform/log/log.hpp"
#include "platform/metrics/metrics.hpp"
#include "platform/pg/listener.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::gateway {
namespace {

namespace asio = boost::asio;
constexpr std::size_t kCleanupBatch = 1000;

}  // namespace

struct RevocationSync::State {
  State(pg::Pool& p, RevocationCache& c, RevocationSyncOptions o)
      : pool(p),
        cache(c),
        options(std::move(o)),
        executor(pool.executor()),
        poll_timer(executor),
        cleanup_timer(executor),
        token_gauge(
            metrics::GaugeFamily(metrics::Default(), "gateway_revocations",
                                 "Revocations the gateway enforces: revoked tokens and disabled users")
                .Add({{"kind", "token"}})),
        user_gauge(metrics::GaugeFamily(metrics::Default(), "gateway_revocations",
                                        "Revocations the gateway enforces: revoked tokens and disabled users")
                       .Add({{"kind", "user"}})) {}

  pg::Pool& pool;
  RevocationCache& cache;
  RevocationSyncOptions options;
  asio::any_io_executor executor;
  asio::steady_timer poll_timer;
  asio::steady_timer cleanup_timer;
  std::unique_ptr<pg::Listener> listener;
  prometheus::Gauge& token_gauge;
  prometheus::Gauge& user_gauge;
  std::int64_t generation = 0;
  bool loaded = false;
  bool refreshing = false;
  bool again = false;
  bool started = false;
  bool stopped = false;
};

namespace {

asio::awaitable<void> RefreshOnce(std::shared_ptr<RevocationSync::State> state) {
  auto& s = *state;
  const auto cutoff = WallClock::now() - s.options.keep_expired;
  RevocationChanges changes = co_await LoadRevocationChanges(s.pool, s.generation, cutoff);
  if (changes.generation < s.generation) {
    // The tables were recreated (a restored or replaced database): start over.
    log::Warn("revocation generation went backwards; reloading everything",
              {{"known", s.generation}, {"stored", changes.generation}});
    s.cache.Clear();
    changes = co_await LoadRevocationChanges(s.pool, 0, cutoff);
  }
  for (auto& token : changes.tokens) s.cache.RevokeToken(std::move(token.token_id), token.expires_at);
  for (const auto& user : changes.users) s.cache.ApplyUser(user);
  s.cache.ForgetExpired(cutoff);
  s.generation = changes.generation;
  s.token_gauge.Set(static_cast<double>(s.cache.revoked_tokens()));
  s.user_gauge.Set(static_cast<double>(s.cache.disabled_users()));
  if (!s.loaded) {
    log::Info("revocations loaded",
              {{"tokens", s.cache.revoked_tokens()}, {"disabled_users", s.cache.disabled_users()}});
  }
  s.loaded = true;
}

// One refresh at a time; a request for one while another runs makes it run once more after.
asio::awaitable<void> RefreshLoop(std::shared_ptr<RevocationSync::State> state) {
  do {
    state->again = false;
    try {
      co_await RefreshOnce(state);
    } catch (const std::exception& e) {
      log::Warn("revocation refresh failed; the next poll retries", {{"error", e.what()}});
    }
  } while (state->again && !state->stopped);
  state->refreshing = false;
}

void Trigger(const std::shared_ptr<RevocationSync::State>& state) {
  if (state->stopped) return;
  if (state->refreshing) {
    state->again = true;
    return;
  }
  state->refreshing = true;
  asio::co_spawn(state->executor, RefreshLoop(state), log::OnFailure{"revocation refresh"});
}

asio::awaitable<void> PollLoop(std::shared_ptr<RevocationSync::State> state) {
  while (!state->stopped) {
    state->poll_timer.expires_after(state->options.poll_interval);
    co_await state->poll_timer.async_wait(asio::as_tuple(asio::use_awaitable));
    Trigger(state);
  }
}

asio::awaitable<void> CleanupLoop(std::shared_ptr<RevocationSync::State> state) {
  while (!state->stopped) {
    state->cleanup_timer.expires_after(state->options.cleanup_interval);
    co_await state->cleanup_timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (state->stopped) break;
    try {
      const auto cutoff = WallClock::now() - state->options.keep_expired;
      std::int64_t deleted = 0;
      do {
        deleted = co_await DeleteExpiredTokens(state->pool, cutoff, kCleanupBatch);
      } while (deleted == static_cast<std::int64_t>(kCleanupBatch) && !state->stopped);
    } catch (const std::exception& e) {
      log::Warn("deleting expired revocations failed; retrying later", {{"error", e.what()}});
    }
  }
}

}  // namespace

RevocationSync::RevocationSync(pg::Pool& pool, RevocationCache& cache, RevocationSyncOptions options)
    : state_(std::make_shared<State>(pool, cache, std::move(options))) {}

RevocationSync::~RevocationSync() { Stop(); }

void RevocationSync::Start() {
  auto& s = *state_;
  if (s.started || s.stopped) return;
  s.started = true;
  const std::weak_ptr<State> weak = state_;
  auto wake = [weak] {
    if (auto state = weak.lock()) Trigger(state);
  };
  s.listener = std::make_unique<pg::Listener>(
      s.executor,
      pg::ListenerOptions{.conninfo = s.options.listener_conninfo, .channels = {kRevocationsChannel}},
      [wake](const pg::Notification&) { wake(); }, wake);
  s.listener->Start();
  Trigger(state_);
  asio::co_spawn(s.executor, PollLoop(state_), log::OnFailure{"revocation poll"});
  asio::co_spawn(s.executor, CleanupLoop(state_), log::OnFailure{"revocation cleanup"});
}

void RevocationSync::Stop() {
  auto& s = *state_;
  s.stopped = true;
  if (s.listener) s.listener->Stop();
  s.poll_timer.cancel();
  s.cleanup_timer.cancel();
}

bool RevocationSync::Loaded() const { return state_->loaded; }
bool RevocationSync::Listening() const { return state_->listener && state_->listener->Connected(); }

namespace {
asio::awaitable<std::optional<std::string>> CheckLoaded(std::shared_ptr<RevocationSync::State> state) {
  if (state->loaded) co_return std::nullopt;
  co_return "revoked tokens not loaded yet";
}
}  // namespace

asio::awaitable<std::optional<std::string>> RevocationSync::Readiness() const { return CheckLoaded(state_); }

asio::awaitable<void> RevocationSync::Refresh() { return RefreshOnce(state_); }

}  // namespace microstore::gateway
