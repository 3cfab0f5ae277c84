#include "platform/amqp/consumer.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "platform/amqp/connection.hpp"
#include "platform/amqp/failure_headers.hpp"
#include "platform/log/log.hpp"

namespace microstore::amqp {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

constexpr amqp_channel_t kConsumeChannel = 1;
constexpr amqp_channel_t kRepublishChannel = 2;  // confirm mode: copies to the retry and dead-letter queues

struct Settlement {
  std::uint64_t generation = 0;
  std::uint64_t delivery_tag = 0;
  Outcome outcome;
};

}  // namespace

struct Consumer::State : std::enable_shared_from_this<Consumer::State> {
  State(asio::any_io_executor executor, ConsumerOptions options, Handler handler, BrokerAddress address)
      : executor(std::move(executor)),
        options(std::move(options)),
        handler(std::move(handler)),
        address(std::move(address)) {}

  const asio::any_io_executor executor;
  const ConsumerOptions options;
  const Handler handler;
  const BrokerAddress address;
  std::atomic<bool> connected{false};
  std::atomic<bool> stopped{false};
  bool started = false;  // the event loop's
  detail::Worker worker;

  std::mutex mutex;
  std::vector<Settlement> settlements;  // guarded by mutex

  // The worker thread's own. A generation is one connection: outcomes of an earlier one are
  // dropped, since the broker redelivers what that connection left unsettled.
  std::unique_ptr<detail::Connection> connection;
  std::uint64_t generation = 0;
  std::unordered_map<std::uint64_t, Delivery> unsettled;
  std::map<std::uint64_t, std::uint64_t> republished;  // confirm tag of the copy -> delivery tag
  std::uint64_t next_confirm_tag = 1;

  void Settle(std::uint64_t of_generation, std::uint64_t delivery_tag, Outcome outcome) {
    {
      std::lock_guard lock(mutex);
      settlements.push_back({of_generation, delivery_tag, std::move(outcome)});
    }
    worker.Wake();
  }
};

namespace {

using State = Consumer::State;

asio::awaitable<void> Handle(std::shared_ptr<State> state, std::uint64_t generation, Delivery delivery) {
  const std::uint64_t tag = delivery.delivery_tag;
  const std::string message_id = delivery.message_id;
  Outcome outcome;
  try {
    auto handling = state->handler(std::move(delivery));
    outcome = co_await std::move(handling);
  } catch (const std::exception& e) {
    outcome = Outcome{.kind = Outcome::Kind::kRetry, .error = e.what()};
  } catch (...) {
    outcome = Outcome{.kind = Outcome::Kind::kRetry, .error = "unknown exception"};
  }
  if (outcome.kind != Outcome::Kind::kAck) {
    log::Warn("amqp delivery failed",
              {{"queue", QueueOf(state->options.consumer)},
               {"message_id", message_id},
               {"outcome", outcome.kind == Outcome::Kind::kRetry ? "retry" : "dead-letter"},
               {"error", outcome.error}});
  }
  state->Settle(generation, tag, std::move(outcome));
}

void Dispatch(State& state, Delivery delivery) {
  asio::post(state.executor, [state = state.shared_from_this(), generation = state.generation,
                              delivery = std::move(delivery)]() mutable {
    if (state->stopped) return;
    asio::co_spawn(state->executor, Handle(state, generation, std::move(delivery)),
                   log::OnFailure{"amqp consumer handler"});
  });
}

void Connect(State& state) {
  const auto& options = state.options;
  auto* worker = &state.worker;
  auto connection = std::make_unique<detail::Connection>(state.address, options.heartbeat,
                                                         [worker](int fd) { worker->SetSocket(fd); });
  connection->OpenChannel(kConsumeChannel);
  connection->OpenChannel(kRepublishChannel);
  connection->ConfirmSelect(kRepublishChannel);

  const std::string queue = QueueOf(options.consumer);
  detail::DeclareUnrouted(*connection, kConsumeChannel);
  std::set<std::string> producers;
  for (const auto& subscription : options.subscriptions) producers.insert(subscription.producer);
  for (const auto& producer : producers) {
    detail::DeclareProducerExchange(*connection, kConsumeChannel, ExchangeOf(producer));
  }
  connection->DeclareQueue(kConsumeChannel, queue, {{"x-queue-type", std::string("quorum")}});
  for (const auto& subscription : options.subscriptions) {
    connection->BindQueue(kConsumeChannel, queue, ExchangeOf(subscription.producer), subscription.event_type);
  }
  for (const auto delay : options.retry_delays) {
    connection->DeclareQueue(kConsumeChannel, RetryQueueOf(options.consumer, delay.count()),
                             {{"x-message-ttl", static_cast<std::int64_t>(delay.count())},
                              {"x-dead-letter-exchange", std::string()},
                              {"x-dead-letter-routing-key", queue}});
  }
  connection->DeclareQueue(kConsumeChannel, DeadLetterQueueOf(options.consumer),
                           {{"x-queue-type", std::string("quorum")}});

  state.connection = std::move(connection);
  ++state.generation;
  state.unsettled.clear();
  state.republished.clear();
  state.next_confirm_tag = 1;
  state.connection->Qos(kConsumeChannel, static_cast<std::uint16_t>(options.prefetch));
  state.connection->Consume(kConsumeChannel, queue);
  state.connected = true;
  log::Info("amqp consumer connected", {{"queue", queue}, {"prefetch", options.prefetch}});
}

void Disconnect(State& state, const std::string& reason, bool graceful) {
  state.connected = false;
  if (graceful) state.connection->Close();
  state.connection.reset();
  log::Warn("amqp consumer disconnected", {{"queue", QueueOf(state.options.consumer)}, {"error", reason}});
}

std::chrono::milliseconds RetryDelay(const State& state, std::int64_t wanted_ms) {
  const auto& delays = state.options.retry_delays;
  const auto it = std::find_if(delays.begin(), delays.end(), [&](auto d) { return d.count() >= wanted_ms; });
  return it != delays.end() ? *it : delays.back();
}

void Republish(State& state, Delivery delivery, const Outcome& outcome) {
  const bool dead = outcome.kind == Outcome::Kind::kDeadLetter;
  const std::string queue =
      dead ? DeadLetterQueueOf(state.options.consumer)
           : RetryQueueOf(state.options.consumer, RetryDelay(state, outcome.retry_delay_ms).count());
  OutgoingMessage copy{
      .exchange = "",
      .routing_key = queue,
      .message_id = std::move(delivery.message_id),
      .type = std::move(delivery.type),
      .correlation_id = std::move(delivery.correlation_id),
      .body = std::move(delivery.body),
      .headers = FailedHeaders(delivery.headers, delivery.attempts + 1, outcome.error,
                               dead ? std::optional(std::chrono::system_clock::now()) : std::nullopt)};
  state.connection->Publish(kRepublishChannel, copy, true);
  state.republished[state.next_confirm_tag++] = delivery.delivery_tag;
}

void ApplySettlements(State& state) {
  std::vector<Settlement> settlements;
  {
    std::lock_guard lock(state.mutex);
    settlements.swap(state.settlements);
  }
  for (auto& settlement : settlements) {
    if (settlement.generation != state.generation || !state.connection) continue;
    const auto it = state.unsettled.find(settlement.delivery_tag);
    if (it == state.unsettled.end()) continue;
    Delivery delivery = std::move(it->second);
    state.unsettled.erase(it);
    if (settlement.outcome.kind == Outcome::Kind::kAck) {
      state.connection->Ack(kConsumeChannel, delivery.delivery_tag);
    } else {
      Republish(state, std::move(delivery), settlement.outcome);
    }
  }
}

// The original is acked only once its copy is safely in the retry or dead-letter queue.
void SettleRepublished(State& state, const detail::Incoming& confirm) {
  auto& pending = state.republished;
  auto end =
      confirm.multiple ? pending.upper_bound(confirm.delivery_tag) : pending.find(confirm.delivery_tag);
  auto begin = confirm.multiple ? pending.begin() : end;
  if (!confirm.multiple) {
    if (end == pending.end()) return;
    end = std::next(end);
  }
  for (auto it = begin; it != end; ++it) {
    if (confirm.method == AMQP_BASIC_ACK_METHOD) {
      state.connection->Ack(kConsumeChannel, it->second);
    } else {
      state.connection->Nack(kConsumeChannel, it->second, true);
    }
  }
  pending.erase(begin, end);
}

void HandleIncoming(State& state, detail::Incoming incoming) {
  if (incoming.channel == kConsumeChannel && incoming.method == AMQP_BASIC_DELIVER_METHOD) {
    state.unsettled.emplace(incoming.delivery_tag, incoming.message);
    Dispatch(state, std::move(incoming.message));
  } else if (incoming.channel == kRepublishChannel) {
    if (incoming.method == AMQP_BASIC_ACK_METHOD || incoming.method == AMQP_BASIC_NACK_METHOD) {
      SettleRepublished(state, incoming);
    } else if (incoming.method == AMQP_BASIC_RETURN_METHOD) {
      // The retry or dead-letter queue is gone; reconnecting declares it again, and the broker
      // redelivers the original.
      throw std::runtime_error("a failed message could not be parked in " + incoming.message.routing_key +
                               ": " + incoming.reply_text);
    }
  }
}

void Run(State& state) {
  detail::Reconnector reconnector(state.options.min_backoff, state.options.max_backoff);
  const auto interval = detail::ServiceInterval(state.options.heartbeat);
  while (!state.worker.Stopping()) {
    state.worker.ClearWake();
    if (!state.connection) {
      if (auto error = reconnector.TryConnect([&state] { Connect(state); })) {
        state.connection.reset();
        log::Warn("amqp consumer cannot connect", {{"queue", QueueOf(state.options.consumer)},
                                                   {"error", *error},
                                                   {"retry_in_ms", reconnector.last_delay().count()}});
      }
      if (!state.connection) {
        state.worker.Sleep(std::chrono::ceil<std::chrono::milliseconds>(reconnector.next_attempt() - Clock::now()));
        continue;
      }
    }
    try {
      ApplySettlements(state);
      state.connection->Wait(state.worker.wake_fd(), interval);
      while (auto incoming = state.connection->TryRead()) HandleIncoming(state, std::move(*incoming));
    } catch (const std::exception& e) {
      Disconnect(state, e.what(), dynamic_cast<const detail::ConnectionLost*>(&e) == nullptr);
      reconnector.Lost();
    }
  }
  if (state.connection) {
    state.connection->Close();
    state.connection.reset();
  }
  state.connected = false;
}

}  // namespace

Consumer::Consumer(asio::any_io_executor executor, ConsumerOptions options, Handler handler) {
  BrokerAddress address;
  std::string error;
  if (!ParseBrokerUrl(options.url, address, error)) throw std::invalid_argument("amqp consumer: " + error);
  if (options.consumer.empty()) throw std::invalid_argument("amqp consumer: no consumer name");
  if (options.prefetch < 1 || options.prefetch > 65535)
    throw std::invalid_argument("amqp consumer: bad prefetch");
  if (options.retry_delays.empty()) throw std::invalid_argument("amqp consumer: no retry delays");
  if (!handler) throw std::invalid_argument("amqp consumer: no handler");
  std::sort(options.retry_delays.begin(), options.retry_delays.end());
  options.retry_delays.erase(std::unique(options.retry_delays.begin(), options.retry_delays.end()),
                             options.retry_delays.end());
  state_ = std::make_shared<State>(std::move(executor), std::move(options), std::move(handler),
                                   std::move(address));
}

Consumer::~Consumer() { Stop(); }

void Consumer::Start() {
  if (state_->started || state_->stopped) return;
  state_->started = true;
  State* state = state_.get();
  state_->worker.Start([state] { Run(*state); });
}

void Consumer::Stop() {
  if (state_->stopped.exchange(true)) return;
  state_->worker.Stop();
  state_->connected = false;
}

bool Consumer::Connected() const { return state_->connected; }

}  // namespace microstore::amqp
