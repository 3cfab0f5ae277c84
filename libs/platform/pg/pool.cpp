#include "platform/pg/pool.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <exception>
#include <stdexcept>
#include <utility>
#include <vector>

#include "platform/log/log.hpp"

namespace microstore::pg {

namespace asio = boost::asio;

namespace detail {

struct Waiter {
  explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}

  asio::steady_timer timer;
  bool woken = false;
  // What the waiter was woken with: a released connection, or the right to open one.
  std::unique_ptr<Connection> connection;
  bool slot = false;
  bool closed = false;
};

struct PoolState : std::enable_shared_from_this<PoolState> {
  PoolState(asio::any_io_executor executor, PoolOptions options)
      : executor(std::move(executor)), options(std::move(options)) {}

  // Every connection handed out comes back through here.
  void Release(std::unique_ptr<Connection> connection) {
    if (!connection) return;
    if (closed) {
      --size;
      return;
    }
    switch (connection->GetTransactionState()) {
      case TransactionState::kIdle:
        Return(std::move(connection));
        return;
      case TransactionState::kInTransaction:
      case TransactionState::kInError:
        asio::co_spawn(executor, RollBack(shared_from_this(), std::move(connection)),
                       log::OnFailure{"pg pool rollback task failed"});
        return;
      default:
        Discard(std::move(connection));
        return;
    }
  }

  static asio::awaitable<void> RollBack(std::shared_ptr<PoolState> self,
                                        std::unique_ptr<Connection> connection) {
    try {
      co_await connection->Execute("ROLLBACK", {});
    } catch (const Error& e) {
      log::Warn("pg pool could not roll back an abandoned transaction", {{"error", e.what()}});
    }
    if (self->closed) {
      --self->size;
    } else if (connection->GetTransactionState() == TransactionState::kIdle) {
      self->Return(std::move(connection));
    } else {
      self->Discard(std::move(connection));
    }
  }

  void Return(std::unique_ptr<Connection> connection) {
    if (!waiters.empty()) {
      auto waiter = std::move(waiters.front());
      waiters.pop_front();
      waiter->connection = std::move(connection);
      Wake(*waiter);
      return;
    }
    idle.push_back(std::move(connection));
  }

  // Drops a connection and, since that frees a place, lets the first waiter open a new one.
  void Discard(std::unique_ptr<Connection> connection) {
    connection.reset();
    --size;
    GrantSlot();
  }

  void GrantSlot() {
    if (closed || waiters.empty() || size >= options.max_size) return;
    auto waiter = std::move(waiters.front());
    waiters.pop_front();
    ++size;
    waiter->slot = true;
    Wake(*waiter);
  }

  static void Wake(Waiter& waiter) {
    waiter.woken = true;
    waiter.timer.cancel();
  }

  // Most recently used first: the connection most likely to be warm and alive.
  std::unique_ptr<Connection> TakeIdle() {
    while (!idle.empty()) {
      auto connection = std::move(idle.back());
      idle.pop_back();
      if (connection->IsAlive() && connection->GetTransactionState() == TransactionState::kIdle)
        return connection;
      log::Info("pg pool discards a dead idle connection", {{"backend_pid", connection->BackendPid()}});
      Discard(std::move(connection));
    }
    return nullptr;
  }

  void Signal(const std::string& channel) {
    std::vector<std::function<void()>> callbacks;  // a callback may unsubscribe itself or others
    for (const auto& subscriber : subscribers) {
      if (subscriber.channel == channel) callbacks.push_back(subscriber.callback);
    }
    for (const auto& callback : callbacks) callback();
  }

  void Close() {
    closed = true;
    size -= idle.size();
    idle.clear();
    for (auto& waiter : waiters) {
      waiter->closed = true;
      Wake(*waiter);
    }
    waiters.clear();
  }

  asio::any_io_executor executor;
  PoolOptions options;
  std::vector<std::unique_ptr<Connection>> idle;
  std::deque<std::shared_ptr<Waiter>> waiters;
  std::size_t size = 0;
  bool closed = false;

  struct Subscriber {
    std::uint64_t id;
    std::string channel;
    std::function<void()> callback;
  };
  std::vector<Subscriber> subscribers;
  std::uint64_t last_subscriber_id = 0;
};

}  // namespace detail

namespace {

using detail::PoolState;
using detail::Waiter;

// Leaves the queue however the wait ends (timeout, cancellation, a destroyed coroutine), handing
// on anything it was given but never used.
class QueuedWaiter {
 public:
  QueuedWaiter(std::shared_ptr<PoolState> state, std::shared_ptr<Waiter> waiter)
      : state_(std::move(state)), waiter_(std::move(waiter)) {
    state_->waiters.push_back(waiter_);
  }
  ~QueuedWaiter() {
    std::erase(state_->waiters, waiter_);
    if (waiter_->connection) state_->Release(std::move(waiter_->connection));
    if (waiter_->slot) {
      --state_->size;
      state_->GrantSlot();
    }
  }
  QueuedWaiter(const QueuedWaiter&) = delete;
  QueuedWaiter& operator=(const QueuedWaiter&) = delete;

 private:
  std::shared_ptr<PoolState> state_;
  std::shared_ptr<Waiter> waiter_;
};

// Holds a reserved place in the pool while a connection is being opened.
class SlotReservation {
 public:
  explicit SlotReservation(std::shared_ptr<PoolState> state) : state_(std::move(state)) {}
  ~SlotReservation() {
    if (!state_) return;
    --state_->size;
    state_->GrantSlot();
  }
  SlotReservation(const SlotReservation&) = delete;
  SlotReservation& operator=(const SlotReservation&) = delete;
  void Keep() { state_.reset(); }

 private:
  std::shared_ptr<PoolState> state_;
};

asio::awaitable<PooledConnection> AcquireFrom(std::shared_ptr<PoolState> state) {
  const auto deadline = std::chrono::steady_clock::now() + state->options.acquire_timeout;
  std::unique_ptr<Connection> connection;
  bool have_slot = false;

  if (state->closed) throw Error("pg pool is closed");
  if (state->waiters.empty()) {
    connection = state->TakeIdle();
    if (!connection && state->size < state->options.max_size) {
      ++state->size;
      have_slot = true;
    }
  }
  if (!connection && !have_slot) {
    auto waiter = std::make_shared<Waiter>(state->executor);
    waiter->timer.expires_at(deadline);
    QueuedWaiter queued(state, waiter);
    auto [ec] = co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (waiter->closed) throw Error("pg pool is closed");
    if (!waiter->woken) {
      if (ec == asio::error::operation_aborted) throw boost::system::system_error(ec);
      throw PoolTimeout("no PostgreSQL connection became free within " +
                        std::to_string(state->options.acquire_timeout.count()) + " ms (pool of " +
                        std::to_string(state->options.max_size) + " connections, all in use)");
    }
    connection = std::move(waiter->connection);
    have_slot = std::exchange(waiter->slot, false);
  }
  if (have_slot) {
    SlotReservation reservation(state);
    connection = co_await Connection::Connect(state->executor, state->options.conninfo,
                                              state->options.connect_timeout);
    connection->SetPreparedStatementLimit(state->options.prepared_statements);
    reservation.Keep();
    if (state->closed) {
      --state->size;
      throw Error("pg pool is closed");
    }
  }
  co_return PooledConnection(std::move(state), std::move(connection));
}

asio::awaitable<Result> ExecuteOn(std::shared_ptr<PoolState> state, std::string sql, Params params) {
  PooledConnection connection = co_await AcquireFrom(std::move(state));
  co_return co_await connection->Execute(std::move(sql), std::move(params));
}

std::string BeginStatement(const TransactionOptions& options) {
  std::string sql = "BEGIN ISOLATION LEVEL ";
  switch (options.isolation) {
    case IsolationLevel::kReadCommitted:
      sql += "READ COMMITTED";
      break;
    case IsolationLevel::kRepeatableRead:
      sql += "REPEATABLE READ";
      break;
    case IsolationLevel::kSerializable:
      sql += "SERIALIZABLE";
      break;
  }
  sql += options.read_only ? " READ ONLY" : " READ WRITE";
  return sql;
}

asio::awaitable<Transaction> BeginOn(std::shared_ptr<PoolState> state, TransactionOptions options) {
  PooledConnection connection = co_await AcquireFrom(std::move(state));
  co_await connection->Execute(BeginStatement(options), {});
  co_return Transaction(std::move(connection));
}

}  // namespace

PooledConnection::PooledConnection(std::shared_ptr<detail::PoolState> pool,
                                   std::unique_ptr<Connection> connection)
    : pool_(std::move(pool)), connection_(std::move(connection)) {}

PooledConnection::~PooledConnection() { Release(); }

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::move(other.pool_);
    connection_ = std::move(other.connection_);
  }
  return *this;
}

void PooledConnection::Release() {
  if (pool_ && connection_) pool_->Release(std::move(connection_));
  connection_.reset();
  pool_.reset();
}

Transaction::Transaction(PooledConnection connection) : connection_(std::move(connection)) {}

Connection& Transaction::Open() {
  if (!connection_) throw std::logic_error("pg::Transaction used after Commit or Rollback");
  return *connection_;
}

Connection& Transaction::connection() { return Open(); }

asio::awaitable<Result> Transaction::Execute(std::string sql, Params params) {
  co_return co_await Open().Execute(std::move(sql), std::move(params));
}

asio::awaitable<void> Transaction::ExecuteScript(std::string sql) {
  co_await Open().ExecuteScript(std::move(sql));
}

void Transaction::NotifyAfterCommit(std::string channel) {
  Open();
  if (std::find(notify_after_commit_.begin(), notify_after_commit_.end(), channel) == notify_after_commit_.end())
    notify_after_commit_.push_back(std::move(channel));
}

asio::awaitable<void> Transaction::Commit() {
  Open();
  // Ended whatever happens below; the connection goes back to the pool when this frame ends.
  PooledConnection connection = std::move(connection_);
  const std::shared_ptr<PoolState> pool = connection.pool_;
  const bool failed = connection->GetTransactionState() == TransactionState::kInError;
  const Result result = co_await connection->Execute("COMMIT", {});
  if (failed || result.CommandStatus() == "ROLLBACK") {
    throw Error("COMMIT of a transaction in which a statement had failed: it was rolled back", "25P02");
  }
  connection.Release();
  for (const auto& channel : std::exchange(notify_after_commit_, {})) pool->Signal(channel);
}

asio::awaitable<void> Transaction::Rollback() {
  Open();
  PooledConnection connection = std::move(connection_);
  co_await connection->Execute("ROLLBACK", {});
}

Pool::Pool(asio::any_io_executor executor, PoolOptions options)
    : state_(std::make_shared<PoolState>(std::move(executor), std::move(options))) {
  if (state_->options.max_size == 0)
    throw std::invalid_argument("pg::PoolOptions::max_size must be at least 1");
}

Pool::~Pool() { state_->Close(); }

asio::awaitable<PooledConnection> Pool::Acquire() { return AcquireFrom(state_); }

asio::awaitable<Result> Pool::Execute(std::string sql, Params params) {
  return ExecuteOn(state_, std::move(sql), std::move(params));
}

asio::awaitable<Transaction> Pool::Begin(TransactionOptions options) { return BeginOn(state_, options); }

Subscription Pool::Subscribe(std::string channel, std::function<void()> callback) {
  const std::uint64_t id = ++state_->last_subscriber_id;
  state_->subscribers.push_back({id, std::move(channel), std::move(callback)});
  return Subscription(state_, id);
}

Subscription::Subscription(std::weak_ptr<detail::PoolState> pool, std::uint64_t id)
    : pool_(std::move(pool)), id_(id) {}

Subscription::~Subscription() { Cancel(); }

Subscription::Subscription(Subscription&& other) noexcept
    : pool_(std::move(other.pool_)), id_(std::exchange(other.id_, 0)) {}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    Cancel();
    pool_ = std::move(other.pool_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

void Subscription::Cancel() {
  if (auto pool = pool_.lock()) {
    std::erase_if(pool->subscribers, [this](const auto& subscriber) { return subscriber.id == id_; });
  }
  pool_.reset();
  id_ = 0;
}

PoolStats Pool::Stats() const {
  return {.size = state_->size,
          .idle = state_->idle.size(),
          .in_use = state_->size - state_->idle.size(),
          .waiting = state_->waiters.size()};
}

const asio::any_io_executor& Pool::executor() const { return state_->executor; }

}  // namespace microstore::pg
