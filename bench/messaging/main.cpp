// The messaging benchmark (docs/benchmarks.md, "Messaging"): events per second through the outbox
// relay alone, and end to end (outbox → RabbitMQ → inbox effect committed) between two real
// processes, with lags. bench/messaging.sh runs it against throw-away servers.
//
//   relay  fills an outbox with --relay-events events (untimed), then starts the test producer
//          (microstore-test-producer: outbox relay + publisher) on it and times the drain into a
//          quorum queue bound to its exchange; then appends at --rate events/s for
//          --paced-seconds and reports the relay lag (row created → broker confirmed).
//   e2e    starts the test consumer (inbox) and the test producer; appends --e2e-events events
//          over HTTP as fast as --clients concurrent requests go and times until the consumer has
//          applied them all; then appends at --rate events/s and reports the lag from the outbox
//          row's creation to the consumer's effect row (both stamped by the same PostgreSQL
//          clock). Checks counts and sums after each phase.
#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "platform/amqp/connection.hpp"
#include "platform/amqp/consumer.hpp"
#include "platform/amqp/messages.hpp"
#include "platform/auth/keys.hpp"
#include "platform/core/ids.hpp"
#include "platform/http/client.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/messaging/migrations.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/migrations/migration.hpp"
#include "platform/pg/pool.hpp"
#include "../support.hpp"
#include "processes.hpp"

namespace microstore::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kHost = "127.0.0.1";

struct Options {
  std::string pg_url;
  std::string amqp_url;
  std::string mode = "all";
  std::int64_t relay_events = 200'000;
  std::int64_t e2e_events = 50'000;
  double rate = 1'000;
  double paced_seconds = 10;
  std::int64_t http_chunk = 1'000;   // events per POST in the e2e burst
  std::int64_t http_batch = 100;     // events per producer transaction in the e2e burst
  int clients = 4;                   // concurrent POSTs in the e2e burst
  int pad = 60;                      // payload filler, for ~400-byte envelopes
  std::string producer_bin = MICROSTORE_BENCH_PRODUCER;
  std::string consumer_bin = MICROSTORE_BENCH_CONSUMER;
  std::string work_dir;
  int pg_pid = 0;
  int broker_pid = 0;
  std::map<std::string, std::string> producer_env;  // extra variables for the producer (KEY=VALUE)
  std::map<std::string, std::string> consumer_env;
};

// One line of the final table.
struct Row {
  std::string what;
  std::string figure;
  std::string detail;
};

std::string CpuText(const CpuMeter::Usage& usage) {
  std::string text = "CPU (cores):";
  for (const auto& [group, cores] : usage.cores) text += " " + group + " " + Fixed(cores, 2);
  return text + "; machine " + Fixed(usage.machine_busy * 100, 0) + "% busy";
}

void Expect(bool ok, const std::string& what) {
  if (!ok) throw Failed("check failed: " + what);
}

// Everything one run creates, removed at the end whatever happened.
class Bench {
 public:
  explicit Bench(const Options& options)
      : options_(options),
        id_(core::NewUuid().substr(0, 8)),
        keys_(auth::GenerateKeyPair("bench")),
        admin_(nullptr) {}

  asio::awaitable<std::vector<Row>> Run() {
    auto executor = co_await asio::this_coro::executor;
    admin_ = std::make_unique<pg::Pool>(executor, pg::PoolOptions{.conninfo = options_.pg_url, .max_size = 1});
    http_ = std::make_unique<http::Client>(executor, http::ClientOptions{.request_timeout = 300s});
    if (options_.broker_pid > 0) meter_.Watch("rabbitmq", options_.broker_pid, false);
    if (options_.pg_pid > 0) meter_.Watch("postgres", options_.pg_pid, true);
    std::exception_ptr error;
    std::vector<Row> rows;
    try {
      if (options_.mode == "relay" || options_.mode == "all") co_await RelayMode(rows);
      if (options_.mode == "e2e" || options_.mode == "all") co_await EndToEndMode(rows);
    } catch (...) {
      error = std::current_exception();
    }
    co_await Cleanup();
    if (error) std::rethrow_exception(error);
    co_return rows;
  }

 private:
  asio::awaitable<std::string> CreateDatabase(const std::string& name) {
    co_await admin_->Execute("CREATE DATABASE " + name, {});
    databases_.push_back(name);
    co_return DatabaseUrl(options_.pg_url, name);
  }

  std::map<std::string, std::string> ServiceEnvironment(const std::string& db_url, std::uint16_t port,
                                                        const std::string& producer,
                                                        const std::string& consumer) const {
    return {{"MICROSTORE_HTTP_PORT", std::to_string(port)},
            {"MICROSTORE_DB_URL", db_url},
            {"MICROSTORE_AMQP_URL", options_.amqp_url},
            {"MICROSTORE_LOG_LEVEL", "warn"},
            {"MICROSTORE_JWT_PUBLIC_KEYS", keys_.key_id + ":" + keys_.public_key},
            {"TEST_PRODUCER", producer},
            {"TEST_CONSUMER", consumer}};
  }

  Child& Start(const std::string& name, const std::string& binary, std::map<std::string, std::string> environment,
               const std::map<std::string, std::string>& extra) {
    for (const auto& [key, value] : extra) environment[key] = value;
    children_.push_back(std::make_unique<Child>(name, binary, environment, options_.work_dir + "/" + name + ".log"));
    Say("started " + name + " (pid " + std::to_string(children_.back()->pid()) + ")");
    return *children_.back();
  }

  asio::awaitable<void> AwaitReady(Child& child, std::uint16_t port) {
    const auto give_up = Clock::now() + 60s;
    while (Clock::now() < give_up) {
      if (!child.Running()) throw Failed(child.name() + " exited; see " + child.log_path());
      try {
        http::ClientRequest request;
        request.target = "/health/ready";
        auto response = co_await http_->Send(kHost, port, std::move(request));
        if (response.status == 200) co_return;
      } catch (const http::ClientError&) {
      }
      co_await Sleep(50ms);
    }
    throw Failed(child.name() + " not ready after 60 s; see " + child.log_path());
  }

  // A quorum queue bound to the producer's exchange, so that the broker stores (and fsyncs) every
  // message the relay publishes, as it does for a real consumer's queue.
  void DeclareSinkQueue(const std::string& exchange, const std::string& queue) {
    amqp::BrokerAddress address;
    std::string error;
    if (!amqp::ParseBrokerUrl(options_.amqp_url, address, error)) throw std::invalid_argument(error);
    amqp::detail::Connection connection(address, 10s);
    connection.OpenChannel(1);
    amqp::detail::DeclareUnrouted(connection, 1);
    amqp::detail::DeclareProducerExchange(connection, 1, exchange);
    connection.DeclareQueue(1, queue, {{"x-queue-type", std::string("quorum")}});
    connection.BindQueue(1, queue, exchange, "Counted");
    connection.Close();
    queues_.push_back(queue);
    exchanges_.push_back(exchange);
  }

  std::vector<messaging::Envelope> MakeEvents(const std::string& producer, std::int64_t first, std::int64_t count) {
    std::vector<messaging::Envelope> events;
    events.reserve(static_cast<std::size_t>(count));
    const auto now = std::chrono::system_clock::now();
    for (std::int64_t n = first; n < first + count; ++n) {
      events.push_back(messaging::MakeEvent(
          "Counted", 2, {"counter", std::to_string(n), n, "counted"},
          {{"n", n}, {"amount", n}, {"note", std::string(static_cast<std::size_t>(options_.pad), 'x')}}, {}, producer,
          "bench-" + id_, core::NewUuid(), now));
    }
    return events;
  }

  asio::awaitable<void> AppendEvents(pg::Pool& pool, const std::string& producer, std::int64_t first,
                                     std::int64_t count) {
    auto transaction = co_await pool.Begin();
    co_await messaging::Append(transaction, MakeEvents(producer, first, count));
    co_await transaction.Commit();
  }

  static asio::awaitable<std::int64_t> Count(pg::Pool& pool, std::string sql) {
    const pg::Result result = co_await pool.Execute(std::move(sql), {});
    co_return result.Get<std::int64_t>(0, 0);
  }

  // ---------------------------------------------------------------------------------------------
  // relay

  asio::awaitable<void> RelayMode(std::vector<Row>& rows) {
    auto executor = co_await asio::this_coro::executor;
    const std::string producer = "benchr" + id_;
    const std::string queue = "microstore.bench." + id_;
    const std::string db_url = co_await CreateDatabase("bench_relay_" + id_);
    pg::Pool pool(executor, {.conninfo = db_url, .max_size = 2});
    co_await migrations::Apply(pool, messaging::Migrations(), messaging::kMigrationsComponent);
    DeclareSinkQueue(amqp::ExchangeOf(producer), queue);

    const std::int64_t n = options_.relay_events;
    Say("relay: filling the outbox with " + Thousands(static_cast<double>(n)) + " events (untimed)");
    for (std::int64_t first = 0; first < n; first += 1000) {
      co_await AppendEvents(pool, producer, first, std::min<std::int64_t>(1000, n - first));
    }
    co_await pool.Execute("VACUUM ANALYZE outbox", {});
    const pg::Result size = co_await pool.Execute("SELECT avg(octet_length(body))::float8 FROM outbox", {});
    const double body_bytes = size.Get<double>(0, 0);

    const std::uint16_t port = FreePort();
    Child& relay = Start("relay", options_.producer_bin, ServiceEnvironment(db_url, port, producer, "unused"),
                         options_.producer_env);
    meter_.Watch("relay", relay.pid(), false);
    const auto cpu_begin = meter_.Take();
    const auto started = Clock::now();
    for (;;) {
      const std::int64_t unsent = co_await Count(pool, "SELECT count(*) FROM outbox WHERE sent_at IS NULL");
      if (unsent == 0) break;
      if (!relay.Running()) throw Failed("the relay exited; see " + relay.log_path());
      if (Clock::now() - started > 900s) throw Failed("the relay did not drain the outbox in 900 s");
      co_await Sleep(100ms);
    }
    const auto cpu_end = meter_.Take();
    const double wall = std::chrono::duration<double>(Clock::now() - started).count();
    const pg::Result span = co_await pool.Execute(
        "SELECT count(*), extract(epoch FROM max(sent_at) - min(sent_at))::float8 FROM outbox", {});
    const std::int64_t sent = span.Get<std::int64_t>(0, 0);
    const double seconds = span.Get<double>(0, 1);
    const auto in_queue = amqp::QueueAdmin(options_.amqp_url).MessageCount(queue);
    Expect(sent == n, "outbox rows sent = " + std::to_string(sent) + ", expected " + std::to_string(n));
    Expect(in_queue >= static_cast<std::size_t>(n),
           "queue holds " + std::to_string(in_queue) + " messages, expected " + std::to_string(n));
    const double rate = static_cast<double>(n) / seconds;
    const auto usage = meter_.Between(cpu_begin, cpu_end);
    Say("relay drain: " + Thousands(rate) + " events/s (" + Fixed(seconds, 2) + " s from first to last confirm; " +
        Fixed(wall, 2) + " s from process start); " + CpuText(usage));
    rows.push_back({"relay alone: drain a backlog into a quorum queue", Thousands(rate) + " events/s",
                    Thousands(static_cast<double>(n)) + " events of " + Thousands(body_bytes) + " B, " +
                        Fixed(seconds, 1) + " s; " + CpuText(usage)});

    // Paced: the relay's latency when it keeps up (woken by NOTIFY on every commit).
    auto append = [this, &pool, &producer](std::int64_t first, std::int64_t count) {
      return AppendEvents(pool, producer, first, count);
    };
    const std::int64_t paced = co_await Paced("relay", append, n);
    const auto drained_by = Clock::now() + 60s;
    for (;;) {
      const std::int64_t unsent = co_await Count(pool, "SELECT count(*) FROM outbox WHERE sent_at IS NULL");
      if (unsent == 0) break;
      if (Clock::now() > drained_by) throw Failed("the relay did not catch up with the paced appends");
      co_await Sleep(50ms);
    }
    const pg::Result lag_rows = co_await pool.Execute(
        "SELECT extract(epoch FROM sent_at - created_at)::float8 FROM outbox WHERE id > $1", pg::MakeParams(n));
    std::vector<double> lags;
    for (int row = 0; row < lag_rows.Rows(); ++row) lags.push_back(lag_rows.Get<double>(row, 0));
    Expect(static_cast<std::int64_t>(lags.size()) == paced, "paced rows");
    Say("relay lag at " + Thousands(options_.rate) + " events/s: " + LatencyText(lags));
    rows.push_back({"relay lag at " + Thousands(options_.rate) + " events/s (created → confirmed)",
                    "p50 " + Ms(Percentile(lags, 0.5)) + ", p99 " + Ms(Percentile(lags, 0.99)),
                    Thousands(static_cast<double>(paced)) + " events; " + LatencyText(lags)});
    relay.Stop();
  }

  // Appends at options_.rate for options_.paced_seconds, in one transaction (or one request) per
  // tick of `tick`; returns how many events it appended, numbered from `first`.
  template <typename AppendFn>
  asio::awaitable<std::int64_t> Paced(const std::string& what, AppendFn append, std::int64_t first,
                                      Clock::duration tick = 5ms) {
    Say(what + ": appending at " + Thousands(options_.rate) + " events/s for " + Fixed(options_.paced_seconds, 0) +
        " s");
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto started = Clock::now();
    const auto total = static_cast<std::int64_t>(options_.rate * options_.paced_seconds);
    std::int64_t done = 0;
    auto next = started;
    while (done < total) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
      const auto due = std::min(total, static_cast<std::int64_t>(elapsed * options_.rate) + 1);
      if (due > done) {
        co_await append(first + done, due - done);
        done = due;
      }
      next += tick;
      timer.expires_at(next);
      co_await timer.async_wait(asio::use_awaitable);
    }
    co_return done;
  }

  // ---------------------------------------------------------------------------------------------
  // end to end

  struct Burst {
    std::int64_t next = 0;
    std::int64_t end = 0;
    int running = 0;
    std::exception_ptr error;
  };

  asio::awaitable<void> Post(std::uint16_t port, std::int64_t start, std::int64_t count, std::int64_t batch) {
    const std::string target = "/events?start=" + std::to_string(start) + "&count=" + std::to_string(count) +
                               "&batch=" + std::to_string(batch) + "&pad=" + std::to_string(options_.pad);
    http::ClientRequest request;
    request.method = http::Method::kPost;
    request.target = target;
    auto response = co_await http_->Send(kHost, port, std::move(request));
    if (response.status != 200) throw Failed("POST " + target + " answered " + std::to_string(response.status));
  }

  asio::awaitable<void> BurstClient(std::shared_ptr<Burst> burst, std::uint16_t port) {
    while (burst->next < burst->end && !burst->error) {
      const std::int64_t start = burst->next;
      const std::int64_t count = std::min(options_.http_chunk, burst->end - start);
      burst->next += count;
      co_await Post(port, start, count, options_.http_batch);
    }
  }

  struct Lags {
    std::vector<double> end_to_end;  // outbox row created → effect row written (consumer's transaction)
    std::vector<double> relay;       // outbox row created → confirmed by the broker
    double first_created = INFINITY, last_created = 0, last_sent = 0, last_applied = 0;
  };

  // Joins the producer's outbox with the consumer's effects, for events first..end-1.
  static asio::awaitable<Lags> JoinLags(pg::Pool& producer_db, pg::Pool& consumer_db, std::int64_t first,
                                        std::int64_t end) {
    const pg::Result outbox = co_await producer_db.Execute(
        "SELECT event_id::text, extract(epoch FROM created_at)::float8, extract(epoch FROM sent_at)::float8 "
        "FROM outbox",
        {});
    std::unordered_map<std::string, std::pair<double, double>> created;
    created.reserve(static_cast<std::size_t>(outbox.Rows()));
    for (int row = 0; row < outbox.Rows(); ++row) {
      created.emplace(outbox.Get<std::string>(row, 0),
                      std::pair(outbox.Get<double>(row, 1), outbox.Get<double>(row, 2)));
    }
    const pg::Result effects = co_await consumer_db.Execute(
        "SELECT event_id::text, extract(epoch FROM applied_at)::float8 FROM effects WHERE n >= $1 AND n < $2",
        pg::MakeParams(first, end));
    Lags lags;
    for (int row = 0; row < effects.Rows(); ++row) {
      const auto it = created.find(effects.Get<std::string>(row, 0));
      if (it == created.end()) throw Failed("an effect without its outbox row");
      const auto [made, sent] = it->second;
      const double applied = effects.Get<double>(row, 1);
      lags.end_to_end.push_back(applied - made);
      lags.relay.push_back(sent - made);
      lags.first_created = std::min(lags.first_created, made);
      lags.last_created = std::max(lags.last_created, made);
      lags.last_sent = std::max(lags.last_sent, sent);
      lags.last_applied = std::max(lags.last_applied, applied);
    }
    co_return lags;
  }

  asio::awaitable<void> CheckConsumer(pg::Pool& consumer_db, std::int64_t events, const std::string& consumer) {
    const pg::Result totals = co_await consumer_db.Execute(
        "SELECT events, amount, (SELECT count(*) FROM effects), (SELECT count(DISTINCT event_id) FROM effects) "
        "FROM totals",
        {});
    const auto expected_sum = events * (events - 1) / 2;
    Expect(totals.Get<std::int64_t>(0, 0) == events, "totals.events = " + std::to_string(events));
    Expect(totals.Get<std::int64_t>(0, 1) == expected_sum, "totals.amount = " + std::to_string(expected_sum));
    Expect(totals.Get<std::int64_t>(0, 2) == events, "effects rows = " + std::to_string(events));
    Expect(totals.Get<std::int64_t>(0, 3) == events, "distinct effects = " + std::to_string(events));
    Expect(amqp::QueueAdmin(options_.amqp_url).MessageCount(amqp::DeadLetterQueueOf(consumer)) == 0,
           "nothing dead-lettered");
    Say("checked: " + std::to_string(events) + " events applied once each, sum " + std::to_string(expected_sum));
  }

  asio::awaitable<void> EndToEndMode(std::vector<Row>& rows) {
    auto executor = co_await asio::this_coro::executor;
    const std::string producer = "benchp" + id_;
    const std::string consumer = "benchc" + id_;
    const std::string producer_url = co_await CreateDatabase("bench_producer_" + id_);
    const std::string consumer_url = co_await CreateDatabase("bench_consumer_" + id_);
    queues_.insert(queues_.end(), {amqp::QueueOf(consumer), amqp::DeadLetterQueueOf(consumer),
                                   amqp::RetryQueueOf(consumer, 200), amqp::RetryQueueOf(consumer, 400)});
    exchanges_.push_back(amqp::ExchangeOf(producer));

    const std::uint16_t consumer_port = FreePort();
    Child& consumer_process =
        Start("consumer", options_.consumer_bin, ServiceEnvironment(consumer_url, consumer_port, producer, consumer),
              options_.consumer_env);
    co_await AwaitReady(consumer_process, consumer_port);
    const std::uint16_t producer_port = FreePort();
    Child& producer_process =
        Start("producer", options_.producer_bin, ServiceEnvironment(producer_url, producer_port, producer, consumer),
              options_.producer_env);
    co_await AwaitReady(producer_process, producer_port);
    meter_.Watch("producer", producer_process.pid(), false);
    meter_.Watch("consumer", consumer_process.pid(), false);
    pg::Pool producer_db(executor, {.conninfo = producer_url, .max_size = 1});
    pg::Pool consumer_db(executor, {.conninfo = consumer_url, .max_size = 1});

    const std::int64_t n = options_.e2e_events;
    Say("e2e: appending " + Thousands(static_cast<double>(n)) + " events over HTTP (" +
        std::to_string(options_.clients) + " concurrent requests of " + std::to_string(options_.http_chunk) +
        " events, " + std::to_string(options_.http_batch) + " per transaction)");
    auto burst = std::make_shared<Burst>(Burst{.next = 0, .end = n, .running = 0, .error = nullptr});
    const auto cpu_begin = meter_.Take();
    const auto started = Clock::now();
    for (int i = 0; i < options_.clients; ++i) {
      ++burst->running;
      asio::co_spawn(executor, BurstClient(burst, producer_port), [burst](std::exception_ptr error) {
        --burst->running;
        if (error && !burst->error) burst->error = error;
      });
    }
    for (;;) {
      const std::int64_t applied = co_await Count(consumer_db, "SELECT events FROM totals");
      if (applied >= n) break;
      if (burst->error) std::rethrow_exception(burst->error);
      if (!producer_process.Running() || !consumer_process.Running()) throw Failed("a process exited");
      if (Clock::now() - started > 900s) throw Failed("the consumer did not apply every event in 900 s");
      co_await Sleep(50ms);
    }
    const auto cpu_end = meter_.Take();
    while (burst->running > 0) co_await Sleep(10ms);
    co_await CheckConsumer(consumer_db, n, consumer);
    const Lags burst_lags = co_await JoinLags(producer_db, consumer_db, 0, n);
    const double span = burst_lags.last_applied - burst_lags.first_created;
    const double applied_rate = static_cast<double>(n) / span;
    const double append_rate = static_cast<double>(n) / (burst_lags.last_created - burst_lags.first_created);
    const double relay_rate = static_cast<double>(n) / (burst_lags.last_sent - burst_lags.first_created);
    const auto usage = meter_.Between(cpu_begin, cpu_end);
    Say("e2e burst: applied " + Thousands(applied_rate) + " events/s; appended " + Thousands(append_rate) +
        "/s, relayed " + Thousands(relay_rate) + "/s; " + CpuText(usage));
    rows.push_back({"end to end: burst, applied (inbox committed)", Thousands(applied_rate) + " events/s",
                    Thousands(static_cast<double>(n)) + " events in " + Fixed(span, 1) + " s; appended " +
                        Thousands(append_rate) + "/s, relayed " + Thousands(relay_rate) + "/s; " + CpuText(usage)});

    // Paced: one POST (one transaction) per 10 ms tick.
    auto post = [this, producer_port](std::int64_t first, std::int64_t count) {
      return Post(producer_port, first, count, count);
    };
    const std::int64_t paced = co_await Paced("e2e", post, n, 10ms);
    const auto applied_by = Clock::now() + 120s;
    for (;;) {
      const std::int64_t applied = co_await Count(consumer_db, "SELECT events FROM totals");
      if (applied >= n + paced) break;
      if (Clock::now() > applied_by) throw Failed("the consumer did not catch up with the paced appends");
      co_await Sleep(50ms);
    }
    co_await CheckConsumer(consumer_db, n + paced, consumer);
    const Lags lags = co_await JoinLags(producer_db, consumer_db, n, n + paced);
    Say("e2e lag at " + Thousands(options_.rate) + " events/s: " + LatencyText(lags.end_to_end) + "; relay part " +
        LatencyText(lags.relay));
    rows.push_back({"end to end lag at " + Thousands(options_.rate) + " events/s (created → applied)",
                    "p50 " + Ms(Percentile(lags.end_to_end, 0.5)) + ", p99 " + Ms(Percentile(lags.end_to_end, 0.99)),
                    Thousands(static_cast<double>(paced)) + " events; " + LatencyText(lags.end_to_end) +
                        "; of which relay (created → confirmed) " + LatencyText(lags.relay)});
    producer_process.Stop();
    consumer_process.Stop();
  }

  // ---------------------------------------------------------------------------------------------

  asio::awaitable<void> Cleanup() {
    for (auto& child : children_) child->Stop();
    try {
      amqp::QueueAdmin admin(options_.amqp_url);
      for (const auto& queue : queues_) admin.DeleteQueue(queue);
      for (const auto& exchange : exchanges_) admin.DeleteExchange(exchange);
    } catch (const std::exception& e) {
      Say(std::string("cleanup on the broker failed: ") + e.what());
    }
    for (const auto& database : databases_) {
      try {
        co_await admin_->Execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", {});
      } catch (const std::exception& e) {
        Say("cannot drop database " + database + ": " + e.what());
      }
    }
  }

 private:
  const Options& options_;
  const std::string id_;
  const auth::GeneratedKeyPair keys_;
  std::unique_ptr<pg::Pool> admin_;
  std::unique_ptr<http::Client> http_;
  CpuMeter meter_;
  std::vector<std::unique_ptr<Child>> children_;
  std::vector<std::string> databases_;
  std::vector<std::string> queues_;
  std::vector<std::string> exchanges_;
};

std::map<std::string, std::string> ParseAssignments(const std::vector<std::string>& items) {
  std::map<std::string, std::string> result;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) throw std::invalid_argument("expected KEY=VALUE, got " + item);
    result[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return result;
}

}  // namespace
}  // namespace microstore::bench

int main(int argc, char** argv) {
  using namespace microstore;
  bench::Options options;
  std::vector<std::string> producer_env, consumer_env;
  CLI::App app{"Messaging benchmark: outbox relay alone, and end to end between two processes."};
  app.add_option("--pg-url", options.pg_url, "PostgreSQL admin URL (databases are created and dropped)")->required();
  app.add_option("--amqp-url", options.amqp_url, "RabbitMQ URL")->required();
  app.add_option("--mode", options.mode, "relay, e2e or all")->check(CLI::IsMember({"relay", "e2e", "all"}));
  app.add_option("--relay-events", options.relay_events, "events drained by the relay")->check(CLI::PositiveNumber);
  app.add_option("--e2e-events", options.e2e_events, "events of the end-to-end burst")->check(CLI::PositiveNumber);
  app.add_option("--rate", options.rate, "events/s of the paced phases (lag)")->check(CLI::PositiveNumber);
  app.add_option("--paced-seconds", options.paced_seconds, "length of the paced phases")->check(CLI::PositiveNumber);
  app.add_option("--clients", options.clients, "concurrent POSTs in the end-to-end burst")->check(CLI::Range(1, 64));
  app.add_option("--http-chunk", options.http_chunk, "events per POST in the burst")->check(CLI::PositiveNumber);
  app.add_option("--http-batch", options.http_batch, "events per producer transaction in the burst")
      ->check(CLI::PositiveNumber);
  app.add_option("--pad", options.pad, "bytes of filler in each payload")->check(CLI::Range(0, 100000));
  app.add_option("--producer-bin", options.producer_bin, "microstore-test-producer");
  app.add_option("--consumer-bin", options.consumer_bin, "microstore-test-consumer");
  app.add_option("--work-dir", options.work_dir, "where the processes' logs go (default: a new temporary dir)");
  app.add_option("--pg-pid", options.pg_pid, "PostgreSQL postmaster pid: report its CPU (with backends)");
  app.add_option("--broker-pid", options.broker_pid, "RabbitMQ beam.smp pid: report its CPU");
  app.add_option("--producer-env", producer_env, "KEY=VALUE added to the producer's environment");
  app.add_option("--consumer-env", consumer_env, "KEY=VALUE added to the consumer's environment");
  CLI11_PARSE(app, argc, argv);

  try {
    options.producer_env = bench::ParseAssignments(producer_env);
    options.consumer_env = bench::ParseAssignments(consumer_env);
    if (options.work_dir.empty()) {
      char pattern[] = "/tmp/microstore-bench.XXXXXX";
      if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
      options.work_dir = pattern;
    }
    std::filesystem::create_directories(options.work_dir);
    log::Init("bench", log::Level::kWarn);
    boost::asio::io_context io;
    bench::Bench run(options);
    auto future = boost::asio::co_spawn(io, run.Run(), boost::asio::use_future);
    io.run();
    const auto rows = future.get();
    std::cout << "\n| measurement | figure | details |\n|---|---|---|\n";
    for (const auto& row : rows) std::cout << "| " << row.what << " | " << row.figure << " | " << row.detail << " |\n";
    std::cout << "\nprocess logs: " << options.work_dir << std::endl;
    log::Shutdown();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << std::endl;
    std::cerr << "process logs: " << options.work_dir << std::endl;
    return 1;
  }
}
