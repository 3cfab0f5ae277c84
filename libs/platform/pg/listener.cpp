#include "platform/pg/listener.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <random>

#include "platform/log/log.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::pg {

namespace asio = boost::asio;

namespace detail {

struct ListenerState {
  ListenerState(asio::any_io_executor executor, ListenerOptions options,
                Listener::NotificationHandler on_notification, Listener::ConnectedHandler on_connected)
      : executor(std::move(executor)),
        options(std::move(options)),
        on_notification(std::move(on_notification)),
        on_connected(std::move(on_connected)) {}

  asio::any_io_executor executor;
  ListenerOptions options;
  Listener::NotificationHandler on_notification;
  Listener::ConnectedHandler on_connected;
  asio::cancellation_signal stop_signal;
  std::minstd_rand random{std::random_device{}()};
  bool started = false;
  bool stopped = false;
  bool connected = false;
};

}  // namespace detail

namespace {

using detail::ListenerState;

template <typename Callback, typename... Args>
void InvokeGuarded(const char* what, const Callback& callback, const Args&... args) {
  if (!callback) return;
  try {
    callback(args...);
  } catch (const std::exception& e) {
    log::Error("pg listener callback threw", {{"callback", what}, {"error", e.what()}});
  }
}

std::chrono::milliseconds Jittered(std::chrono::milliseconds backoff, std::minstd_rand& random) {
  const auto half = std::max<std::int64_t>(backoff.count() / 2, 1);
  return std::chrono::milliseconds(half + std::uniform_int_distribution<std::int64_t>(0, half)(random));
}

asio::awaitable<void> Listen(std::shared_ptr<ListenerState> state) {
  auto backoff = state->options.min_backoff;
  while (!state->stopped) {
    std::string failure;
    try {
      auto connection = co_await Connection::Connect(state->executor, state->options.conninfo,
                                                     state->options.connect_timeout);
      for (const auto& channel : state->options.channels) {
        co_await connection->Execute("LISTEN " + QuoteIdentifier(channel), {});
      }
      if (state->stopped) break;
      backoff = state->options.min_backoff;
      state->connected = true;
      log::Info("pg listener connected",
                {{"channels", state->options.channels.size()}, {"backend_pid", connection->BackendPid()}});
      InvokeGuarded("on_connected", state->on_connected);
      while (!state->stopped) {
        const auto notifications = co_await connection->WaitForNotifications();
        for (const auto& notification : notifications) {
          if (state->stopped) break;
          InvokeGuarded("on_notification", state->on_notification, notification);
        }
      }
    } catch (const std::exception& e) {
      failure = e.what();
    }
    state->connected = false;
    if (state->stopped) break;
    const auto delay = Jittered(backoff, state->random);
    log::Warn("pg listener disconnected", {{"error", failure}, {"retry_in_ms", delay.count()}});
    asio::steady_timer timer(state->executor, delay);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    backoff = std::min(backoff * 2, state->options.max_backoff);
  }
  state->connected = false;
}

asio::awaitable<void> Discard(asio::awaitable<Result> operation) { co_await std::move(operation); }

}  // namespace

Listener::Listener(asio::any_io_executor executor, ListenerOptions options,
                   NotificationHandler on_notification, ConnectedHandler on_connected)
    : state_(std::make_shared<ListenerState>(std::move(executor), std::move(options),
                                             std::move(on_notification), std::move(on_connected))) {
  // Rejects a bad channel name now rather than on every reconnect.
  for (const auto& channel : state_->options.channels) QuoteIdentifier(channel);
}

Listener::~Listener() { Stop(); }

void Listener::Start() {
  if (state_->started || state_->stopped) return;
  state_->started = true;
  auto state = state_;
  asio::co_spawn(state_->executor, Listen(state_),
                 asio::bind_cancellation_slot(state_->stop_signal.slot(), [state](std::exception_ptr error) {
                   if (!state->stopped) log::Failure("pg listener stopped unexpectedly", error);
                 }));
}

void Listener::Stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  state_->connected = false;
  if (state_->started) state_->stop_signal.emit(asio::cancellation_type::terminal);
}

bool Listener::Connected() const { return state_->connected; }

asio::awaitable<void> Notify(Pool& pool, std::string channel, std::string payload) {
  return Discard(pool.Query("SELECT pg_notify($1, $2)", channel, payload));
}

}  // namespace microstore::pg
