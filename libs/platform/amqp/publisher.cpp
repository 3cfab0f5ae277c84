#include "platform/amqp/publisher.hpp"

#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <mutex>
#include <optional>

#include "platform/amqp/connection.hpp"
#include "platform/log/log.hpp"

namespace microstore::amqp {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

constexpr amqp_channel_t kChannel = 1;
// Confirms are read between publishes too, so that a large batch never fills both directions
// of the socket at once.
constexpr std::size_t kReadEvery = 128;
// Batches published and waiting for their confirms at once: the broker confirms a quorum queue's
// messages per write of its log, so more in flight means fewer waits per message.
constexpr std::size_t kMaxBatchesInFlight = 16;
// Past its deadline plus this, a batch that has not completed means the thread is stuck in a send
// the broker does not read (a blocked connection): its socket is shut down.
constexpr auto kWatchdogGrace = std::chrono::seconds(2);

struct Job {
  std::vector<OutgoingMessage> batch;
  Clock::time_point deadline;
  asio::any_completion_handler<void(std::exception_ptr)> handler;
  asio::any_io_executor work;  // tracks outstanding work, so the event loop waits for the completion
};

// Which delivery tags of the batch in flight the broker has settled.
class Confirms {
 public:
  Confirms(std::uint64_t first, std::size_t count)
      : first_(first), settled_(count, false), remaining_(count) {}

  void Settle(std::uint64_t tag, bool multiple, bool nack) {
    if (tag < first_) return;  // a late confirm of an earlier batch that already failed
    const std::size_t index = tag - first_;
    if (multiple) {
      const std::size_t end = std::min(index + 1, settled_.size());
      for (std::size_t i = low_; i < end; ++i) Mark(i, nack);
      low_ = std::max(low_, end);
    } else if (index < settled_.size()) {
      Mark(index, nack);
    }
  }
  void Extend() {
    settled_.push_back(false);
    ++remaining_;
  }
  bool Done() const { return remaining_ == 0; }
  std::size_t nacked() const { return nacked_; }

 private:
  void Mark(std::size_t index, bool nack) {
    if (settled_[index]) return;
    settled_[index] = true;
    --remaining_;
    if (nack) ++nacked_;
  }

  std::uint64_t first_;
  std::vector<bool> settled_;
  std::size_t remaining_;
  std::size_t low_ = 0;
  std::size_t nacked_ = 0;
};

struct InFlight {
  Job job;
  Confirms confirms;
};

}  // namespace

struct Publisher::State {
  State(asio::any_io_executor executor, PublisherOptions options, BrokerAddress address)
      : executor(std::move(executor)), options(std::move(options)), address(std::move(address)) {}

  const asio::any_io_executor executor;
  const PublisherOptions options;
  const BrokerAddress address;
  std::atomic<bool> connected{false};
  detail::Worker worker;

  std::mutex mutex;
  std::deque<Job> jobs;  // guarded by mutex

  // The worker thread's own.
  std::unique_ptr<detail::Connection> connection;
  std::deque<InFlight> in_flight;  // published, in publish order, waiting for confirms
  std::uint64_t next_tag = 1;
  std::string last_error = "not connected yet";
};

namespace {

using State = Publisher::State;

// Runs the handler on the event loop (the only thread of the process that uses the publisher).
void Complete(Job job, std::exception_ptr error) {
  auto executor = job.work;
  asio::post(executor, [handler = std::move(job.handler), work = std::move(job.work), error]() mutable {
    std::move(handler)(error);
  });
}

std::exception_ptr Failure(const std::string& message) {
  return std::make_exception_ptr(PublishError(message));
}

void Connect(State& state) {
  auto* worker = &state.worker;
  auto connection = std::make_unique<detail::Connection>(state.address, state.options.heartbeat,
                                                         [worker](int fd) { worker->SetSocket(fd); });
  connection->OpenChannel(kChannel);
  connection->ConfirmSelect(kChannel);
  detail::DeclareUnrouted(*connection, kChannel);
  for (const auto& exchange : state.options.exchanges)
    detail::DeclareProducerExchange(*connection, kChannel, exchange);
  state.connection = std::move(connection);
  state.next_tag = 1;
  state.connected = true;
  log::Info("amqp publisher connected", {{"host", state.address.host},
                                         {"port", state.address.port},
                                         {"exchanges", state.options.exchanges.size()}});
}

void Disconnect(State& state, const std::string& reason, bool graceful) {
  state.connected = false;
  state.last_error = reason;
  if (graceful) state.connection->Close();
  state.connection.reset();
  log::Warn("amqp publisher disconnected", {{"error", reason}});
}

std::optional<Job> TakeJob(State& state) {
  std::lock_guard lock(state.mutex);
  if (state.jobs.empty()) return std::nullopt;
  Job job = std::move(state.jobs.front());
  state.jobs.pop_front();
  return job;
}

// While disconnected, batches wait for a connection until their deadline.
std::optional<Clock::time_point> FailExpired(State& state, const std::string& why) {
  std::vector<Job> expired;
  std::optional<Clock::time_point> earliest;
  {
    std::lock_guard lock(state.mutex);
    const auto now = Clock::now();
    for (auto it = state.jobs.begin(); it != state.jobs.end();) {
      if (it->deadline <= now) {
        expired.push_back(std::move(*it));
        it = state.jobs.erase(it);
      } else {
        earliest = earliest ? std::min(*earliest, it->deadline) : it->deadline;
        ++it;
      }
    }
  }
  for (auto& job : expired) Complete(std::move(job), Failure(why));
  return earliest;
}

void ReadConfirms(State& state) {
  while (auto incoming = state.connection->TryRead()) {
    if (incoming->channel != kChannel) continue;
    if (incoming->method == AMQP_BASIC_ACK_METHOD || incoming->method == AMQP_BASIC_NACK_METHOD) {
      for (auto& batch : state.in_flight) {
        batch.confirms.Settle(incoming->delivery_tag, incoming->multiple,
                              incoming->method == AMQP_BASIC_NACK_METHOD);
      }
    }
  }
}

// Publishes every message of the job (stopping at the first nack) and leaves it in flight. Throws
// when the connection failed.
void Send(State& state, Job job) {
  const std::uint64_t first = state.next_tag;
  state.in_flight.push_back(InFlight{std::move(job), Confirms(first, 0)});
  InFlight& sending = state.in_flight.back();
  const auto& batch = sending.job.batch;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    state.connection->Publish(kChannel, batch[i], false);
    ++state.next_tag;
    sending.confirms.Extend();
    if ((i + 1) % kReadEvery == 0) ReadConfirms(state);
    if (sending.confirms.nacked() > 0) break;
  }
}

// Completes the batches that were confirmed, nacked, or not confirmed by their deadline (the
// connection stays usable for the others).
void Settle(State& state) {
  const auto now = Clock::now();
  for (auto it = state.in_flight.begin(); it != state.in_flight.end();) {
    std::exception_ptr result;
    if (it->confirms.nacked() > 0) {
      result = Failure("the broker rejected (nacked) " + std::to_string(it->confirms.nacked()) +
                       " message(s) of the batch");
    } else if (!it->confirms.Done() && now >= it->job.deadline) {
      result = Failure("the broker did not confirm the batch within " +
                       std::to_string(state.options.confirm_timeout.count()) + " ms");
    } else if (!it->confirms.Done()) {
      ++it;
      continue;
    }
    Complete(std::move(it->job), result);
    it = state.in_flight.erase(it);
  }
}

void FailInFlight(State& state, const std::string& why) {
  for (auto& batch : state.in_flight) Complete(std::move(batch.job), Failure(why));
  state.in_flight.clear();
}

void Run(State& state) {
  detail::Reconnector reconnector(state.options.min_backoff, state.options.max_backoff);
  const auto interval = detail::ServiceInterval(state.options.heartbeat);
  while (!state.worker.Stopping()) {
    state.worker.ClearWake();
    if (!state.connection) {
      if (auto error = reconnector.TryConnect([&state] { Connect(state); })) {
        state.last_error = *error;
        log::Warn("amqp publisher cannot connect",
                  {{"error", state.last_error}, {"retry_in_ms", reconnector.last_delay().count()}});
      }
      if (!state.connection) {
        const auto earliest = FailExpired(state, "not connected to the broker: " + state.last_error);
        const auto until = earliest ? std::min(*earliest, reconnector.next_attempt()) : reconnector.next_attempt();
        state.worker.Sleep(std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()));
        continue;
      }
    }

    try {
      // Batches are published in the order they were handed over, without waiting for the
      // confirms of earlier ones.
      while (state.in_flight.size() < kMaxBatchesInFlight) {
        auto job = TakeJob(state);
        if (!job) break;
        if (Clock::now() >= job->deadline) {
          Complete(std::move(*job), Failure("the batch waited longer than the confirm timeout"));
          continue;
        }
        Send(state, std::move(*job));
      }
      Settle(state);
      auto wait = interval;
      for (const auto& batch : state.in_flight) {
        wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(batch.job.deadline - Clock::now()));
      }
      state.connection->Wait(state.worker.wake_fd(), std::max(wait, std::chrono::milliseconds(0)));
      ReadConfirms(state);
      Settle(state);
    } catch (const std::exception& e) {
      FailInFlight(state,
                   std::string("the connection to the broker failed before every confirm arrived: ") + e.what());
      Disconnect(state, e.what(), dynamic_cast<const detail::ConnectionLost*>(&e) == nullptr);
      reconnector.Lost();
    }
  }

  FailInFlight(state, "the publisher was stopped before every confirm arrived");
  if (state.connection) {
    state.connection->Close();
    state.connection.reset();
  }
  state.connected = false;
  std::deque<Job> left;
  {
    std::lock_guard lock(state.mutex);
    left.swap(state.jobs);
  }
  for (auto& job : left) Complete(std::move(job), Failure("the publisher was stopped"));
}

// Hands a batch to the worker thread; its handler completes on the caller's executor.
struct Submit {
  std::shared_ptr<State> state;
  std::vector<OutgoingMessage> batch;
  Clock::time_point deadline;

  template <typename Handler>
  void operator()(Handler&& handler) {
    Job job{std::move(batch), deadline, std::forward<Handler>(handler),
            asio::prefer(state->executor, asio::execution::outstanding_work.tracked)};
    {
      std::lock_guard lock(state->mutex);
      state->jobs.push_back(std::move(job));
    }
    state->worker.Wake();
  }
};

}  // namespace

Publisher::Publisher(asio::any_io_executor executor, PublisherOptions options) {
  BrokerAddress address;
  std::string error;
  if (!ParseBrokerUrl(options.url, address, error)) throw std::invalid_argument("amqp publisher: " + error);
  state_ = std::make_shared<State>(std::move(executor), std::move(options), std::move(address));
  State* state = state_.get();
  state_->worker.Start([state] { Run(*state); });
}

Publisher::~Publisher() { state_->worker.Stop(); }

asio::awaitable<void> Publisher::PublishConfirmed(std::vector<OutgoingMessage> batch) {
  if (batch.empty()) co_return;
  std::shared_ptr<State> state = state_;
  const auto deadline = Clock::now() + state->options.confirm_timeout;

  auto done = std::make_shared<bool>(false);
  asio::steady_timer watchdog(state->executor, deadline + kWatchdogGrace);
  watchdog.async_wait([weak = std::weak_ptr<State>(state), done](const boost::system::error_code& error) {
    if (error || *done) return;
    if (auto stuck = weak.lock()) {
      log::Warn("amqp publisher stuck past its confirm timeout; dropping its connection");
      stuck->worker.ShutdownSocket();
    }
  });

  Submit submit{state, std::move(batch), deadline};
  auto operation = asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      std::move(submit), asio::use_awaitable);
  try {
    co_await std::move(operation);
  } catch (...) {
    *done = true;
    throw;
  }
  *done = true;
}

bool Publisher::Connected() const { return state_->connected; }

}  // namespace microstore::amqp
