#include "platform/runtime/service.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <thread>

#include "platform/amqp/consumer.hpp"
#include "platform/amqp/messages.hpp"
#include "platform/amqp/publisher.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/core/faults.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/server.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/dead_letters.hpp"
#include "platform/messaging/inbox.hpp"
#include "platform/messaging/migrations.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/messaging/outbox_relay.hpp"
#include "platform/metrics/metrics.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::runtime {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

std::string HostName() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return host;
}
using namespace asio::experimental::awaitable_operators;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct DatabaseConfig {
  std::string url;
  std::int64_t pool_size = 8;
  std::int64_t prepared_statements = 256;
  std::chrono::milliseconds pool_wait{2000};
  std::chrono::milliseconds connect_timeout{5000};
};

// Database failures a handler lets escape: the client may retry, so 503 (or 409) rather than 500.
std::optional<http::Response> MapDatabaseErrors(const std::exception_ptr& error, const http::Request& request) {
  auto unavailable = [&](std::string_view code, std::string_view detail) {
    http::Response response = http::Problem(503, code, detail, &request);
    response.headers.Set("Retry-After", "1");
    return response;
  };
  try {
    std::rethrow_exception(error);
  } catch (const pg::PoolTimeout&) {
    return unavailable("database-busy", "all database connections are busy; retry shortly");
  } catch (const pg::ConnectionFailed&) {
    return unavailable("database-unavailable", "the database is unreachable; retry shortly");
  } catch (const pg::ConnectionLost&) {
    return unavailable("database-unavailable", "the database connection was lost; retry shortly");
  } catch (const pg::TransactionRollback&) {
    return unavailable("concurrent-update", "a concurrent update got in the way; retry");
  } catch (const pg::QueryCanceled&) {
    return unavailable("database-timeout", "the database took too long; retry shortly");
  } catch (const pg::UniqueViolation&) {
    return http::Problem(409, "conflict", "the resource already exists", &request);
  } catch (...) {
    return std::nullopt;
  }
}

void PublishPoolStats(const pg::PoolStats& stats) {
  static auto& connections =
      metrics::GaugeFamily(metrics::Default(), "db_pool_connections", "Database connections by state");
  static auto& idle = connections.Add({{"state", "idle"}});
  static auto& in_use = connections.Add({{"state", "in_use"}});
  static auto& waiting =
      metrics::GaugeFamily(metrics::Default(), "db_pool_waiting", "Requests waiting for a database connection").Add({});
  idle.Set(static_cast<double>(stats.idle));
  in_use.Set(static_cast<double>(stats.in_use));
  waiting.Set(static_cast<double>(stats.waiting));
}

constexpr int kStopTimeoutExitCode = 1;

// Ends the process when a shutdown overruns its bound: a handler deaf to the stop token, or a
// broker or database call that hangs, must not keep a stopping process alive.
class StopWatchdog {
 public:
  ~StopWatchdog() { Disarm(); }

  void Arm(std::chrono::milliseconds timeout) {
    thread_ = std::thread([this, timeout] {
      std::unique_lock lock(mutex_);
      if (finished_cv_.wait_for(lock, timeout, [this] { return finished_; })) return;
      log::Error("shutdown did not finish within MICROSTORE_STOP_TIMEOUT; exiting at once",
                 {{"stop_timeout_ms", timeout.count()}, {"exit_code", kStopTimeoutExitCode}});
      log::Shutdown();
      std::_Exit(kStopTimeoutExitCode);
    });
  }

  void Disarm() {
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
    }
    finished_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable finished_cv_;
  bool finished_ = false;  // guarded by mutex_
  std::thread thread_;
};

// "ok" or why not. Never throws: `||` waits for the first operation to *succeed*, so a probe
// that threw would leave the readiness answer waiting for the whole deadline.
asio::awaitable<std::string> ProbeDatabase(pg::Pool& pool) {
  try {
    co_await pool.Query("SELECT 1");
    co_return "ok";
  } catch (const std::exception& e) {
    co_return e.what();
  }
}

}  // namespace

struct Service::State {
  ServiceSpec spec;
  config::Env env;
  asio::io_context io{1};
  http::Router router;
  bool help = false;
  std::string bad_argument;

  http::ServerOptions http_options;
  std::chrono::milliseconds stop_timeout{25'000};
  log::Level log_level = log::Level::kInfo;
  std::optional<DatabaseConfig> database;
  std::unique_ptr<pg::Pool> pool;
  std::unique_ptr<auth::Verifier> verifier;
  std::string broker_url;
  std::string node_id;
  std::unique_ptr<amqp::Publisher> publisher;
  std::unique_ptr<messaging::OutboxRelay> relay;
  std::optional<messaging::Outbox> outbox;
  std::unique_ptr<messaging::Inbox> inbox;
  std::vector<amqp::Subscription> subscriptions;
  int consumer_prefetch = 64;
  std::int64_t consumer_batch = 64;
  std::unique_ptr<amqp::Consumer> consumer;
  std::int64_t worker_threads = 2;
  std::unique_ptr<asio::thread_pool> workers;

  std::vector<std::pair<std::string, ReadinessCheck>> readiness;
  std::vector<std::function<void()>> stop_hooks;
  std::vector<std::function<void()>> ready_hooks;
  bool migrated = false;
  bool stopping = false;
  std::stop_source stop_source;
  StopWatchdog watchdog;
  int exit_code = 0;
  std::unique_ptr<http::Server> server;
  std::unique_ptr<asio::signal_set> signals;

  void ReadCommonConfig();
  void AddPlatformRoutes();
  void StartRelay();
  void StartConsumer();
  asio::awaitable<void> Migrate();
  asio::awaitable<http::Response> Ready();
  void Stop(int code);
};

void Service::State::ReadCommonConfig() {
  http_options.service = spec.name;
  http_options.host = env.String("MICROSTORE_HTTP_HOST", "127.0.0.1", "address the HTTP server listens on");
  http_options.port = static_cast<std::uint16_t>(
      env.Int("MICROSTORE_HTTP_PORT", spec.default_port, 1, 65535, "port the HTTP server listens on"));
  http_options.body_limit = env.Bytes("MICROSTORE_HTTP_BODY_LIMIT", 1 << 20, "largest request body accepted (413 above)");
  http_options.header_limit =
      env.Bytes("MICROSTORE_HTTP_HEADER_LIMIT", 16 << 10, "largest request header block accepted (431 above)");
  http_options.read_timeout =
      env.Duration("MICROSTORE_HTTP_READ_TIMEOUT", 10s, "time a client has to send one whole request");
  http_options.idle_timeout =
      env.Duration("MICROSTORE_HTTP_IDLE_TIMEOUT", 60s, "how long an idle keep-alive connection is kept open");
  http_options.shutdown_grace = env.Duration("MICROSTORE_SHUTDOWN_GRACE", 20s,
                                             "on SIGTERM, how long requests in flight may take before being cut");
  stop_timeout =
      env.Duration("MICROSTORE_STOP_TIMEOUT", 25s,
                   "on SIGTERM, the longest the whole shutdown may take before the process exits at "
                   "once with code 1; longer than MICROSTORE_SHUTDOWN_GRACE");
  if (stop_timeout <= http_options.shutdown_grace) {
    env.Reject("MICROSTORE_STOP_TIMEOUT", "must be longer than MICROSTORE_SHUTDOWN_GRACE (" +
                                              std::to_string(http_options.shutdown_grace.count()) + "ms)");
  }
  const std::string level = env.OneOf("MICROSTORE_LOG_LEVEL", "info", {"trace", "debug", "info", "warn", "error", "off"},
                                      "least severe log level written");
  log::ParseLevel(level, log_level);

  if (spec.broker) {
    broker_url = env.Required("MICROSTORE_AMQP_URL", "the RabbitMQ broker, amqp://user:password@host:port/vhost", true);
    amqp::BrokerAddress address;
    std::string problem;
    if (!broker_url.empty() && !amqp::ParseBrokerUrl(broker_url, address, problem)) {
      env.Reject("MICROSTORE_AMQP_URL", problem);
    }
  }
  if (spec.consumes) {
    consumer_prefetch = static_cast<int>(env.Int("MICROSTORE_CONSUMER_PREFETCH", 64, 1, 65535,
                                                 "events handled at once (delivered and not yet acknowledged)"));
    consumer_batch = env.Int("MICROSTORE_CONSUMER_BATCH", 64, 1, 65535,
                             "most waiting events handled in one transaction (1: each alone)");
  }
  worker_threads = env.Int("MICROSTORE_WORKER_THREADS", 2, 1, 64,
                           "threads for blocking work kept off the event loop (hashing, broker admin)");
  if (spec.migrations != nullptr || spec.messaging) {
    DatabaseConfig db;
    db.url = env.Required("MICROSTORE_DB_URL", "libpq URI of this service's own database", true);
    db.pool_size = env.Int("MICROSTORE_DB_POOL_SIZE", 8, 1, 500, "most database connections held open");
    db.prepared_statements =
        env.Int("MICROSTORE_DB_PREPARED_STATEMENTS", 256, 0, 100000,
                "statements prepared per database connection (0: none, e.g. behind a transaction-mode pooler)");
    db.pool_wait = env.Duration("MICROSTORE_DB_POOL_WAIT", 2s,
                                "how long a request waits for a free database connection before a 503");
    db.connect_timeout = env.Duration("MICROSTORE_DB_CONNECT_TIMEOUT", 5s, "deadline for opening a database connection");
    database = db;
  }

  const std::string keys = env.String("MICROSTORE_JWT_PUBLIC_KEYS", "",
                                      "trusted token keys, `kid:BASE64URL[,kid:BASE64URL]` (from microstore-keygen)");
  const std::string issuer = env.String("MICROSTORE_JWT_ISSUER", "microstore-identity", "expected `iss` of tokens");
  if (!keys.empty()) {
    auto parsed = auth::Verifier::FromConfig(keys, issuer);
    if (auto* error = std::get_if<auth::KeyConfigError>(&parsed)) {
      env.Reject("MICROSTORE_JWT_PUBLIC_KEYS", error->message);
    } else {
      verifier = std::make_unique<auth::Verifier>(std::move(std::get<auth::Verifier>(parsed)));
    }
  }
}

void Service::State::AddPlatformRoutes() {
  router.Get("/health/live", auth::Access::Public(), [](http::Request&) -> asio::awaitable<http::Response> {
    co_return http::Response::Json(200, {{"status", "live"}});
  });
  router.Get("/health/ready", auth::Access::Public(),
             [this](http::Request&) -> asio::awaitable<http::Response> { return Ready(); });
  router.Get("/metrics", auth::Access::Public(), [this](http::Request&) -> asio::awaitable<http::Response> {
    if (pool) PublishPoolStats(pool->Stats());
    co_return http::Response::Text(200, metrics::Serialize(metrics::Default()), "text/plain; version=0.0.4");
  });
}

asio::awaitable<http::Response> Service::State::Ready() {
  nlohmann::json checks = nlohmann::json::object();
  bool ready = !stopping;
  if (stopping) checks["shutdown"] = "in progress";
  if (pool) {
    checks["migrations"] = migrated ? "ok" : "pending";
    ready = ready && migrated;
    asio::steady_timer deadline(io, 1s);
    auto outcome = co_await (ProbeDatabase(*pool) || deadline.async_wait(asio::use_awaitable));
    std::string database = outcome.index() == 0 ? std::get<0>(outcome) : "no answer within 1s";
    ready = ready && database == "ok";
    checks["database"] = database;
  }
  for (auto& [name, check] : readiness) {
    auto problem = co_await check();
    checks[name] = problem ? *problem : "ok";
    ready = ready && !problem;
  }
  co_return http::Response::Json(ready ? 200 : 503, {{"status", ready ? "ready" : "not ready"}, {"checks", checks}});
}

asio::awaitable<void> Service::State::Migrate() {
  auto backoff = 200ms;
  while (!stopping) {
    try {
      if (spec.messaging) {
        co_await migrations::Apply(*pool, messaging::Migrations(), messaging::kMigrationsComponent);
      }
      if (spec.migrations != nullptr) co_await migrations::Apply(*pool, *spec.migrations);
      migrated = true;
      log::Info("database ready");
      for (auto& hook : ready_hooks) hook();
      co_return;
    } catch (const migrations::MigrationError& e) {
      log::Error("migrations refused; stopping", {{"error", e.what()}});
      Stop(1);
      co_return;
    } catch (const std::exception& e) {
      log::Warn("database not reachable yet; retrying", {{"error", e.what()}, {"retry_in_ms", backoff.count()}});
    }
    asio::steady_timer pause(io, backoff);
    co_await pause.async_wait(kTuple);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, 5s);
  }
}

// The publisher and relay of a service that publishes: built only once the configuration is known
// to be valid (the publisher refuses a malformed URL by throwing), started once migrated.
void Service::State::StartRelay() {
  publisher = std::make_unique<amqp::Publisher>(
      io.get_executor(), amqp::PublisherOptions{.url = broker_url, .exchanges = {amqp::ExchangeOf(spec.name)}});
  relay = std::make_unique<messaging::OutboxRelay>(io.get_executor(), *pool, *publisher,
                                                   messaging::RelayOptions{.listener_conninfo = database->url});
  ready_hooks.insert(ready_hooks.begin(), [this] { relay->Start(); });
  stop_hooks.insert(stop_hooks.begin(), [this] { relay->Stop(); });  // hooks run latest first: the relay stops last
  readiness.emplace_back("broker", [this]() -> asio::awaitable<std::optional<std::string>> {
    if (publisher->Connected()) co_return std::nullopt;
    co_return "not connected to RabbitMQ";
  });
}

// The consumer of a service that consumes: like the relay, built once the configuration is valid
// and started once migrated; it stops first on shutdown, so no event is being handled while the
// inbox stops.
void Service::State::StartConsumer() {
  if (subscriptions.empty()) {
    log::Warn("the service consumes events but registered no handler");
    return;
  }
  consumer = std::make_unique<amqp::Consumer>(
      io.get_executor(),
      amqp::ConsumerOptions{.url = broker_url, .consumer = spec.name, .subscriptions = subscriptions,
                            .prefetch = consumer_prefetch},
      inbox->Handler());
  ready_hooks.emplace_back([this] {
    inbox->Start();
    consumer->Start();
  });
  stop_hooks.emplace_back([this] {
    consumer->Stop();
    inbox->Stop();
  });
  readiness.emplace_back("consumer", [this]() -> asio::awaitable<std::optional<std::string>> {
    if (consumer->Connected()) co_return std::nullopt;
    co_return "not consuming from RabbitMQ";
  });
}

void Service::State::Stop(int code) {
  if (stopping) return;
  stopping = true;
  exit_code = code;
  log::Info("stopping", {{"exit_code", code}});
  stop_source.request_stop();
  watchdog.Arm(stop_timeout);
  if (signals) signals->cancel();
  auto finish = [this] {
    core::FaultPoint("runtime.stop_hooks");
    for (auto it = stop_hooks.rbegin(); it != stop_hooks.rend(); ++it) (*it)();
    // Whatever is still pending (idle pool sockets, timers) is abandoned, not awaited.
    io.stop();
  };
  if (server) {
    server->Shutdown(finish);
  } else {
    asio::post(io, finish);
  }
}

Service::Service(ServiceSpec spec, int argc, char** argv) : state_(std::make_unique<State>()) {
  auto& s = *state_;
  s.spec = std::move(spec);
  if (s.spec.publishes || s.spec.consumes) s.spec.messaging = s.spec.broker = true;
  s.node_id = s.spec.name + "-" + HostName() + "-" + std::to_string(::getpid());
  if (s.spec.publishes) s.outbox.emplace(s.spec.name, s.node_id);
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      s.help = true;
    } else {
      s.bad_argument = argv[i];
    }
  }
  s.ReadCommonConfig();
  if (s.database) {
    pg::PoolOptions options;
    options.conninfo = s.database->url;
    options.max_size = static_cast<std::size_t>(s.database->pool_size);
    options.acquire_timeout = s.database->pool_wait;
    options.connect_timeout = s.database->connect_timeout;
    options.prepared_statements = static_cast<std::size_t>(s.database->prepared_statements);
    s.pool = std::make_unique<pg::Pool>(s.io.get_executor(), options);
  }
  if (s.spec.consumes) {
    s.inbox = std::make_unique<messaging::Inbox>(
        *s.pool, s.spec.name, messaging::Upcasters{},
        messaging::InboxOptions{.max_batch = static_cast<std::size_t>(s.consumer_batch)});
  }
  s.AddPlatformRoutes();
}

Service::~Service() = default;

config::Env& Service::Env() { return state_->env; }
asio::io_context& Service::Io() { return state_->io; }
http::Router& Service::Router() { return state_->router; }
pg::Pool& Service::Database() {
  if (!state_->pool) throw std::logic_error(state_->spec.name + " declared no migrations, so it has no database");
  return *state_->pool;
}
asio::any_io_executor Service::Workers() {
  if (!state_->workers) {
    state_->workers = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(state_->worker_threads));
  }
  return state_->workers->get_executor();
}
const auth::Verifier* Service::Verifier() const { return state_->verifier.get(); }
void Service::AddReadinessCheck(std::string name, ReadinessCheck check) {
  state_->readiness.emplace_back(std::move(name), std::move(check));
}
const std::string& Service::DatabaseUrl() const {
  static const std::string kNone;
  return state_->database ? state_->database->url : kNone;
}
const std::string& Service::BrokerUrl() const { return state_->broker_url; }
const std::string& Service::NodeId() const { return state_->node_id; }

const messaging::Outbox& Service::Outbox() const {
  if (!state_->outbox) throw std::logic_error("Service::Outbox(): the service '" + state_->spec.name + "' does not publish");
  return *state_->outbox;
}
std::stop_token Service::StopToken() const { return state_->stop_source.get_token(); }
void Service::Consume(std::string producer, std::string type, EventHandler handler) {
  auto& s = *state_;
  if (!s.inbox) throw std::logic_error("Consume: service " + s.spec.name + " is not declared with consumes");
  s.inbox->On(type, std::move(handler));
  s.subscriptions.push_back({std::move(producer), std::move(type)});
}
void Service::Consume(std::vector<messaging::EventSubscription> subscriptions) {
  for (auto& subscription : subscriptions) {
    Consume(std::move(subscription.producer), std::move(subscription.type), std::move(subscription.handler));
  }
}
void Service::OnStop(std::function<void()> hook) { state_->stop_hooks.push_back(std::move(hook)); }
void Service::OnReady(std::function<void()> hook) { state_->ready_hooks.push_back(std::move(hook)); }

int Service::Run() {
  auto& s = *state_;
  if (s.help) {
    std::cout << "microstore-" << s.spec.name << ": configured through environment variables\n\n"
              << s.env.Describe();
    return 0;
  }
  if (!s.bad_argument.empty()) {
    std::cerr << "microstore-" << s.spec.name << ": unknown argument '" << s.bad_argument << "' (try --help)\n";
    return 2;
  }
  if (s.spec.consumes && s.spec.dead_letter_routes) {
    messaging::RegisterDeadLetterRoutes(s.router, s.broker_url, s.spec.name, Workers(), StopToken());
  }
  if (!s.verifier) {
    for (const auto& route : s.router.routes()) {
      if (!route->access.IsPublic()) {
        s.env.Reject("MICROSTORE_JWT_PUBLIC_KEYS", "is required: route " + route->pattern + " needs a token");
        break;
      }
    }
  }
  try {
    s.env.Finish();
  } catch (const config::ConfigError& e) {
    std::cerr << "microstore-" << s.spec.name << ": " << e.what() << "\n";
    return 2;
  }

  log::Init(s.spec.name, s.log_level);
  metrics::GaugeFamily(metrics::Default(), "microstore_build_info", "Always 1; labels say what is running")
      .Add({{"service", s.spec.name}, {"version", MICROSTORE_VERSION}})
      .Set(1);
  s.server = std::make_unique<http::Server>(s.io.get_executor(), s.http_options, s.router, s.verifier.get());
  s.server->AddErrorMapper(MapDatabaseErrors);
  std::uint16_t port = 0;
  try {
    port = s.server->Start();
  } catch (const std::exception& e) {
    log::Error("cannot listen", {{"host", s.http_options.host}, {"port", s.http_options.port}, {"error", e.what()}});
    log::Shutdown();
    return 1;
  }
  log::Info("listening", {{"host", s.http_options.host}, {"port", port}, {"version", MICROSTORE_VERSION}});

  s.signals = std::make_unique<asio::signal_set>(s.io, SIGINT, SIGTERM);
  s.signals->async_wait([&s](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log::Info("signal received", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
    s.Stop(0);
  });
  if (s.spec.publishes) s.StartRelay();
  if (s.spec.consumes) s.StartConsumer();
  if (s.pool) {
    asio::co_spawn(s.io, s.Migrate(), log::OnFailure{"migrations"});
  } else {
    for (auto& hook : s.ready_hooks) hook();
  }

  s.io.run();
  if (s.workers) {
    s.workers->stop();
    s.workers->join();
  }
  s.server.reset();
  s.consumer.reset();
  s.relay.reset();
  s.publisher.reset();
  s.watchdog.Disarm();
  log::Info("stopped", {{"exit_code", s.exit_code}});
  log::Shutdown();
  return s.exit_code;
}

}  // namespace microstore::runtime
