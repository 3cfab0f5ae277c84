#include "amqp/publisher.hpp"

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

#include "amqp/connection.hpp"
#include "log/log.hpp"

namespace microstore::amqp {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

constexpr amqp_channel_t kChannel = 1;
// Confirms are read between publishes too, so that a large batch never fills both directions
// of the socket at once.
constexpr std::size_t kReadEvery = 128;
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

void ReadConfirms(State& state, Confirms& confirms) {
  while (auto incoming = state.connection->TryRead()) {
    if (incoming->channel != kChannel) continue;
    if (incoming->method == AMQP_BASIC_ACK_METHOD || incoming->method == AMQP_BASIC_NACK_METHOD) {
      confirms.Settle(incoming->delivery_tag, incoming->multiple, incoming->method == AMQP_BASIC_NACK_METHOD);
    }
  }
}

// Throws PublishError when the broker did not confirm (the connection stays usable), anything
// else when the connection failed.
void Send(State& state, const Job& job) {
  const auto& batch = job.batch;
  Confirms confirms(state.next_tag, 0);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    state.connection->Publish(kChannel, batch[i], false);
    ++state.next_tag;
    confirms.Extend();
    if ((i + 1) % kReadEvery == 0) ReadConfirms(state, confirms);
    if (confirms.nacked() > 0) break;
  }
  const auto interval = detail::ServiceInterval(state.options.heartbeat);
  while (!confirms.Done() && confirms.nacked() == 0) {
    const auto now = Clock::now();
    if (now >= job.deadline) {
      throw PublishError("the broker did not confirm the batch within " +
                         std::to_string(state.options.confirm_timeout.count()) + " ms");
    }
    if (state.worker.Stopping()) throw PublishError("the publisher was stopped before every confirm arrived");
    state.worker.ClearWake();
    state.connection->Wait(
        state.worker.wake_fd(),
        std::min(interval, std::chrono::ceil<std::chrono::milliseconds>(job.deadline - now)));
    ReadConfirms(state, confirms);
  }
  if (confirms.nacked() > 0) {
    throw PublishError("the broker rejected (nacked) " + std::to_string(confirms.nacked()) +
                       " message(s) of the batch");
  }
}

void Run(State& state) {
  detail::Backoff backoff(state.options.min_backoff, state.options.max_backoff);
  auto next_attempt = Clock::now();
  const auto interval = detail::ServiceInterval(state.options.heartbeat);
  while (!state.worker.Stopping()) {
    state.worker.ClearWake();
    if (!state.connection) {
      if (Clock::now() >= next_attempt) {
        try {
          Connect(state);
          backoff.Reset();
        } catch (const std::exception& e) {
          state.last_error = e.what();
          const auto delay = backoff.Next();
          next_attempt = Clock::now() + delay;
          log::Warn("amqp publisher cannot connect",
                    {{"error", state.last_error}, {"retry_in_ms", delay.count()}});
        }
      }
      if (!state.connection) {
        const auto earliest = FailExpired(state, "not connected to the broker: " + state.last_error);
        const auto until = earliest ? std::min(*earliest, next_attempt) : next_attempt;
        state.worker.Sleep(std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()));
        continue;
      }
    }

    auto job = TakeJob(state);
    try {
      if (!job) {
        state.connection->Wait(state.worker.wake_fd(), interval);
        while (state.connection->TryRead()) {
        }
        continue;
      }
      std::exception_ptr result;
      try {
        if (Clock::now() >= job->deadline)
          throw PublishError("the batch waited longer than the confirm timeout");
        Send(state, *job);
      } catch (const PublishError&) {
        result = std::current_exception();
      }
      Complete(std::move(*job), result);
    } catch (const std::exception& e) {
      if (job && job->handler) {
        Complete(std::move(*job),
                 Failure(std::string("the connection to the broker failed before every confirm arrived: ") +
                         e.what()));
      }
      Disconnect(state, e.what(), dynamic_cast<const detail::ConnectionLost*>(&e) == nullptr);
      next_attempt = Clock::now() + backoff.Next();
    }
  }

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
