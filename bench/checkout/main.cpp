// The checkout benchmark (bench/checkout.sh runs it): the whole system — identity, catalog, stock,
// payment, order (1..n replicas) and the gateway, release builds — started as child processes on
// throw-away PostgreSQL and RabbitMQ servers; orders placed over keep-alive HTTP connections as fast
// as possible (or at a fixed rate), each followed to PAID or CANCELLED through the order status
// stream (OrderStatusChanged, read over AMQP: no polling); then the saga's invariants checked
// through the services' own APIs.
//
//   set-up (untimed)  products through the catalogue; stock waits for each, then restocked;
//                     customers = fresh subjects with CUSTOMER tokens signed by the run's key,
//                     each depositing money (a --poor-customers fraction only 1 minor unit)
//   timed             --orders orders over --connections connections; a customer places its next
//                     order only once the previous one is PAID or CANCELLED (one unpaid order per
//                     customer); latency = status event received − POST sent
//   after             R16 invariants from the APIs; exit code 3 when one fails
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <unordered_map>

#include "../messaging/processes.hpp"
#include "../support.hpp"
#include "platform/amqp/consumer.hpp"
#include "platform/amqp/messages.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/auth/keys.hpp"
#include "platform/core/ids.hpp"
#include "platform/http/client.hpp"
#include "platform/log/log.hpp"
#include "platform/pg/pool.hpp"
#include "status_stream.hpp"

namespace microstore::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using nlohmann::json;
using namespace std::chrono_literals;

const std::string kHost = "127.0.0.1";
constexpr const char* kCurrency = "RUB";
constexpr std::int64_t kRichDepositMinor = 1'000'000'000;  // 10 million roubles: never runs out
constexpr std::int64_t kPoorDepositMinor = 1;              // an account that cannot pay any order
constexpr std::int64_t kRestockQuantity = 1'000'000;       // stock's largest single restock

struct Options {
  std::string pg_url;
  std::string amqp_url;
  std::string services_dir = MICROSTORE_BENCH_SERVICES_DIR;
  std::string work_dir;
  int pg_pid = 0;
  int broker_pid = 0;
  int customers = 1'000;
  int products = 100;
  std::int64_t orders = 10'000;
  int connections = 64;
  double rate = 0;  // orders/s; 0 = as fast as the connections go
  int order_replicas = 1;
  bool direct = false;
  double poor_customers = 0;
  double scarce_orders = 0;
  std::int64_t scarce_stock = 10;
  int max_lines = 3;
  std::uint64_t seed = 1;
  double stall_seconds = 60;
  int setup_parallelism = 16;
  std::map<std::string, std::string> env;                                 // every service
  std::map<std::string, std::map<std::string, std::string>> service_env;  // by process or service name
};

struct Row {
  std::string what;
  std::string figure;
  std::string detail;
};

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

std::int64_t Integer(const json& body, const char* field) {
  const auto it = body.find(field);
  if (it == body.end() || !it->is_number_integer()) {
    throw Failed(std::string("expected an integer '") + field + "' in " + body.dump().substr(0, 500));
  }
  return it->get<std::int64_t>();
}

struct Reply {
  int status = 0;
  json body;
  std::string text;
  std::string Describe() const { return "HTTP " + std::to_string(status) + " " + text.substr(0, 500); }
};

struct Product {
  std::string id;
};

struct Customer {
  std::string id;
  std::string authorization;  // "Bearer …"
  bool poor = false;
};

// One order placed during the timed phase.
struct PlacedOrder {
  int customer = 0;
  Clock::time_point sent;
  Clock::time_point answered;
  std::int64_t total_minor = 0;
  std::int64_t units = 0;
  bool finished = false;
  Clock::time_point finished_at;
  std::string status;
  std::string reason;
};

// A worker waiting for a customer without an unpaid order.
struct CustomerWaiter {
  explicit CustomerWaiter(asio::any_io_executor executor) : timer(executor, Clock::time_point::max()) {}
  asio::steady_timer timer;
  int customer = -1;
};

// One running service process.
struct Process {
  std::string name;     // "order-2"
  std::string service;  // "order"
  std::uint16_t port = 0;
  Child* child = nullptr;
};

// Cumulative PostgreSQL counters of the whole cluster.
struct PgCounters {
  std::int64_t next_xid = 0;   // exact: one per write transaction (or subtransaction)
  double wal_bytes = 0;        // exact
  std::int64_t commits = 0;    // pg_stat_database (backends report it up to 10 s late)
  std::int64_t wal_syncs = 0;  // pg_stat_wal, likewise
};

class Bench {
 public:
  explicit Bench(const Options& options)
      : options_(options),
        id_(core::NewUuid().substr(0, 8)),
        keys_(auth::GenerateKeyPair("bench")),
        signer_(SignerOf(keys_)) {}

  // Exit code: 0, or 3 when an invariant failed. Throws for anything else that went wrong.
  asio::awaitable<int> Run(std::vector<Row>& rows) {
    executor_ = co_await asio::this_coro::executor;
    admin_ =
        std::make_unique<pg::Pool>(executor_, pg::PoolOptions{.conninfo = options_.pg_url, .max_size = 2});
    http_ = std::make_unique<http::Client>(
        executor_,
        http::ClientOptions{.request_timeout = 60s,
                            .max_idle_per_endpoint = static_cast<std::size_t>(options_.connections) + 16});
    std::exception_ptr error;
    int code = 0;
    try {
      co_await StartSystem();
      co_await SetUp();
      co_await Timed(rows);
      code = co_await CheckInvariants(rows);
      co_await PostgresFigures(rows);
    } catch (...) {
      error = std::current_exception();
    }
    co_await Cleanup();
    if (error) std::rethrow_exception(error);
    co_return code;
  }

 private:
  static auth::Signer SignerOf(const auth::GeneratedKeyPair& keys) {
    auto signer = auth::Signer::FromConfig(keys.key_id + ":" + keys.seed);
    if (auto* error = std::get_if<auth::KeyConfigError>(&signer)) throw std::runtime_error(error->message);
    return std::move(std::get<auth::Signer>(signer));
  }

  std::string Token(const std::string& subject, const std::vector<auth::Role>& roles) const {
    auth::Claims claims;
    claims.subject = subject;
    for (const auth::Role role : roles) claims.roles.Add(role);
    claims.token_id = core::NewUuid();
    claims.issuer = "microstore-identity";
    claims.issued_at = std::chrono::system_clock::now();
    claims.expires_at = claims.issued_at + 12h;
    return "Bearer " + signer_.Sign(claims);
  }

  // ---------------------------------------------------------------------------------------------
  // processes

  asio::awaitable<std::string> CreateDatabase(const std::string& service) {
    const std::string name = "bench_" + id_ + "_" + service;
    co_await admin_->Execute("CREATE DATABASE " + name, {});
    databases_.push_back(name);
    co_return DatabaseUrl(options_.pg_url, name);
  }

  std::string Binary(const std::string& service) const {
    return options_.services_dir + "/" + service + "/microstore-" + service;
  }

  std::map<std::string, std::string> CommonEnvironment(const std::string& db_url) const {
    return {{"MICROSTORE_DB_URL", db_url},
            {"MICROSTORE_AMQP_URL", options_.amqp_url},
            {"MICROSTORE_JWT_PUBLIC_KEYS", keys_.key_id + ":" + keys_.public_key},
            {"MICROSTORE_LOG_LEVEL", "warn"},
            {"MICROSTORE_SHUTDOWN_GRACE", "2s"}};
  }

  std::string Url(std::uint16_t port) const { return "http://" + kHost + ":" + std::to_string(port); }

  void Launch(const std::string& name, const std::string& service, std::uint16_t port,
              std::map<std::string, std::string> environment) {
    environment["MICROSTORE_HTTP_PORT"] = std::to_string(port);
    for (const auto& [key, value] : options_.env) environment[key] = value;
    for (const auto* own : {&service, &name}) {
      const auto it = options_.service_env.find(*own);
      if (it == options_.service_env.end()) continue;
      for (const auto& [key, value] : it->second) environment[key] = value;
    }
    const std::string binary = Binary(service);
    if (::access(binary.c_str(), X_OK) != 0) throw Failed(binary + " is not built");
    children_.push_back(
        std::make_unique<Child>(name, binary, environment, options_.work_dir + "/" + name + ".log"));
    processes_.push_back({name, service, port, children_.back().get()});
    meter_.Watch(name, children_.back()->pid(), false);
    Say("started " + name + " (pid " + std::to_string(children_.back()->pid()) + ", port " +
        std::to_string(port) + ")");
  }

  asio::awaitable<void> AwaitReady(const Process& process) {
    const auto give_up = Clock::now() + 90s;
    while (Clock::now() < give_up) {
      if (!process.child->Running()) throw Failed(process.name + " exited; see " + process.child->log_path());
      try {
        http::ClientRequest request;
        request.target = "/health/ready";
        auto response = co_await http_->Send(kHost, process.port, std::move(request));
        if (response.status == 200) co_return;
      } catch (const http::ClientError&) {
      }
      co_await Sleep(100ms);
    }
    throw Failed(process.name + " not ready after 90 s; see " + process.child->log_path());
  }

  asio::awaitable<void> StartSystem() {
    if (options_.broker_pid > 0) meter_.Watch("rabbitmq", options_.broker_pid, false);
    if (options_.pg_pid > 0) meter_.Watch("postgres", options_.pg_pid, true);
    meter_.Watch("benchmark", ::getpid(), false);

    // Consumers first, so that every queue is bound before its events are published.
    std::map<std::string, std::string> urls;
    for (const std::string service : {"identity", "catalog", "stock", "payment"}) {
      const std::string db_url = co_await CreateDatabase(service);
      auto environment = CommonEnvironment(db_url);
      if (service == "identity") environment["MICROSTORE_JWT_SIGNING_KEY"] = keys_.key_id + ":" + keys_.seed;
      const std::uint16_t port = FreePort();
      Launch(service, service, port, std::move(environment));
      urls[service] = Url(port);
    }
    const std::string order_db = co_await CreateDatabase("order");
    order_db_ = std::make_unique<pg::Pool>(executor_, pg::PoolOptions{.conninfo = order_db, .max_size = 1});
    for (int replica = 1; replica <= options_.order_replicas; ++replica) {
      const std::uint16_t port = FreePort();
      Launch("order-" + std::to_string(replica), "order", port, CommonEnvironment(order_db));
      urls["order"] += (urls["order"].empty() ? "" : ",") + Url(port);
      order_ports_.push_back(port);
    }
    // The gateway last, once its upstreams answer: it routes only to instances its health checks
    // have seen ready.
    for (const auto& process : processes_) co_await AwaitReady(process);
    const std::string gateway_db = co_await CreateDatabase("gateway");
    auto gateway = CommonEnvironment(gateway_db);
    gateway["MICROSTORE_GATEWAY_AREAS"] = "identity,catalog,stock,payment,order";
    gateway["MICROSTORE_GATEWAY_RATE_LIMIT"] = "0";
    for (const auto& [service, url] : urls) {
      std::string variable = "MICROSTORE_" + service + "_URL";
      std::transform(variable.begin(), variable.end(), variable.begin(),
                     [](char c) { return std::toupper(c); });
      gateway[variable] = url;
    }
    gateway_port_ = FreePort();
    Launch("gateway", "gateway", gateway_port_, std::move(gateway));
    co_await AwaitReady(processes_.back());
    co_await AwaitRoutes();
    Say("all " + std::to_string(processes_.size()) + " processes ready; logs in " + options_.work_dir);
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP

  asio::awaitable<Reply> Call(std::uint16_t port, http::Method method, std::string target,
                              std::string authorization, std::string body = {},
                              std::string idempotency_key = {}) {
    http::ClientRequest request;
    request.method = method;
    request.target = std::move(target);
    request.body = std::move(body);
    if (!authorization.empty()) request.headers.Set("Authorization", std::move(authorization));
    if (!idempotency_key.empty()) request.headers.Set("Idempotency-Key", std::move(idempotency_key));
    http::ClientResponse response = co_await http_->Send(kHost, port, std::move(request));
    Reply reply;
    reply.status = response.status;
    reply.body = json::parse(response.body, nullptr, false);
    if (reply.body.is_discarded()) reply.body = nullptr;
    reply.text = std::move(response.body);
    co_return reply;
  }

  // Through the gateway, retried for up to 10 s on 502 and 503: an upstream that sat idle through a
  // long timed phase has closed the gateway's pooled connection to it (idle timeout, 60 s), and the
  // gateway answers 502 for the request that finds it closed, then 503 until its next health check.
  asio::awaitable<Reply> Get(std::string target, std::string authorization) {
    const auto give_up = Clock::now() + 10s;
    for (;;) {
      Reply reply = co_await Call(gateway_port_, http::Method::kGet, target, authorization);
      if ((reply.status != 502 && reply.status != 503) || Clock::now() > give_up) co_return reply;
      ++gateway_retries_;
      co_await Sleep(200ms);
    }
  }

  // Coroutines running side by side: how many still run, and the first failure.
  struct ForEachState {
    std::size_t next = 0;
    std::size_t count = 0;
    int running = 0;
    std::exception_ptr error;
  };
  using Step = std::function<asio::awaitable<void>(std::size_t)>;

  asio::awaitable<void> ForEachWorker(std::shared_ptr<ForEachState> state, Step step) {
    while (state->next < state->count && !state->error) co_await step(state->next++);
  }

  // Runs step(0) … step(count - 1), --setup-parallelism at a time; rethrows the first failure.
  asio::awaitable<void> ForEach(std::size_t count, Step step) {
    auto state = std::make_shared<ForEachState>();
    state->count = count;
    const int parallel =
        static_cast<int>(std::min<std::size_t>(count, static_cast<std::size_t>(options_.setup_parallelism)));
    for (int i = 0; i < parallel; ++i) {
      ++state->running;
      auto done = [state](std::exception_ptr error) {
        --state->running;
        if (error && !state->error) state->error = error;
      };
      asio::co_spawn(executor_, ForEachWorker(state, step), done);
    }
    while (state->running > 0) co_await Sleep(5ms);
    if (state->error) std::rethrow_exception(state->error);
  }

  // Until the gateway routes to every area the benchmark uses (503 while it has no healthy instance).
  asio::awaitable<void> AwaitRoutes() {
    const std::string operator_token = Token(core::NewUuid(), {auth::Role::kOperator});
    const std::vector<std::string> probes = {"/api/v1/catalog/products", "/api/v1/stock/totals",
                                             "/api/v1/payment/ledger", "/api/v1/order/orders/stats"};
    const auto give_up = Clock::now() + 30s;
    for (const auto& probe : probes) {
      for (;;) {
        const Reply reply = co_await Get(probe, operator_token);
        if (reply.status == 200) break;
        if (reply.status != 503 || Clock::now() > give_up)
          throw Failed("GET " + probe + ": " + reply.Describe());
        co_await Sleep(100ms);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // set-up

  asio::awaitable<void> CreateProduct(std::size_t index) {
    const bool scarce = static_cast<int>(index) == options_.products;
    std::mt19937_64 random(options_.seed * 7919 + index);
    const std::int64_t price = 100 * std::uniform_int_distribution<std::int64_t>(100, 1000)(random);
    const json body = {
        {"sku", "BENCH-" + id_ + "-" + (scarce ? std::string("SCARCE") : std::to_string(index))},
        {"name", scarce ? std::string("Scarce bench product") : "Bench product " + std::to_string(index)},
        {"price_minor", price},
        {"currency", kCurrency}};
    const Reply reply = co_await Call(gateway_port_, http::Method::kPost, "/api/v1/catalog/products",
                                      admin_token_, body.dump());
    if (reply.status != 201 || !reply.body.is_object() || !reply.body.contains("id")) {
      throw Failed("creating a product: " + reply.Describe());
    }
    Product product{reply.body["id"].get<std::string>()};
    if (scarce) {
      scarce_product_ = product;
    } else {
      products_[index] = product;
    }
  }

  asio::awaitable<void> AwaitStockItem(std::size_t index) {
    const Product& product = index < products_.size() ? products_[index] : *scarce_product_;
    const auto give_up = Clock::now() + 60s;
    for (;;) {
      const Reply reply = co_await Get("/api/v1/stock/items/" + product.id, "");
      if (reply.status == 200) break;
      if (reply.status != 404) throw Failed("reading a stock item: " + reply.Describe());
      if (Clock::now() > give_up)
        throw Failed("stock did not learn of product " + product.id + " within 60 s");
      co_await Sleep(50ms);
    }
    const bool scarce = index >= products_.size();
    const json body = {{"quantity", scarce ? options_.scarce_stock : kRestockQuantity},
                       {"reason", "checkout benchmark"}};
    if (body["quantity"].get<std::int64_t>() == 0) co_return;
    const Reply restocked =
        co_await Call(gateway_port_, http::Method::kPost, "/api/v1/stock/items/" + product.id + "/restock",
                      stock_token_, body.dump());
    if (restocked.status != 200) throw Failed("restocking: " + restocked.Describe());
  }

  asio::awaitable<void> Deposit(std::size_t index) {
    const Customer& customer = customers_[index];
    const json body = {{"amount_minor", customer.poor ? kPoorDepositMinor : kRichDepositMinor}};
    const Reply reply =
        co_await Call(gateway_port_, http::Method::kPost, "/api/v1/payment/accounts/me/deposits",
                      customer.authorization, body.dump(), core::NewUuid());
    if (reply.status != 201) throw Failed("depositing: " + reply.Describe());
  }

  asio::awaitable<void> SetUp() {
    admin_token_ = Token(core::NewUuid(), {auth::Role::kAdmin});
    stock_token_ = Token(core::NewUuid(), {auth::Role::kStockOperator});
    operator_token_ = Token(core::NewUuid(), {auth::Role::kOperator});
    const auto started = Clock::now();
    const bool with_scarce = options_.scarce_orders > 0;
    const std::size_t product_count = static_cast<std::size_t>(options_.products) + (with_scarce ? 1 : 0);
    products_.resize(static_cast<std::size_t>(options_.products));
    Say("set-up: " + std::to_string(product_count) + " products through the catalogue");
    Step create = [this](std::size_t index) { return CreateProduct(index); };
    co_await ForEach(product_count, create);
    Say("set-up: waiting for stock to know each product, restocking each");
    Step restock = [this](std::size_t index) { return AwaitStockItem(index); };
    co_await ForEach(product_count, restock);
    Say("set-up: waiting for order's copy of the catalogue");
    const auto give_up = Clock::now() + 60s;
    for (;;) {
      const pg::Result known = co_await order_db_->Execute(
          "SELECT count(*) FROM product_copies WHERE version > 0 AND price_version > 0 AND NOT archived", {});
      if (known.Get<std::int64_t>(0, 0) >= static_cast<std::int64_t>(product_count)) break;
      if (Clock::now() > give_up) throw Failed("order did not learn of every product within 60 s");
      co_await Sleep(50ms);
    }

    const int poor = static_cast<int>(std::llround(options_.poor_customers * options_.customers));
    for (int i = 0; i < options_.customers; ++i) {
      Customer customer;
      customer.id = core::NewUuid();
      customer.authorization = Token(customer.id, {auth::Role::kCustomer});
      // Spread the poor ones, so that they are not all served first.
      customer.poor = poor > 0 && (static_cast<std::int64_t>(i) * poor / options_.customers !=
                                   static_cast<std::int64_t>(i + 1) * poor / options_.customers);
      customers_.push_back(std::move(customer));
    }
    Say("set-up: " + std::to_string(options_.customers) + " customers deposit (" + std::to_string(poor) +
        " of them only " + std::to_string(kPoorDepositMinor) + " minor unit)");
    Step deposit = [this](std::size_t index) { return Deposit(index); };
    co_await ForEach(customers_.size(), deposit);
    Say("set-up took " + Fixed(Seconds(Clock::now() - started), 1) + " s");
  }

  // ---------------------------------------------------------------------------------------------
  // timed phase

  // The body of order `n`: 1..max_lines distinct products, 1 or 2 of each; or, for a
  // --scarce-orders fraction, one unit of the scarce product.
  std::pair<json, std::int64_t> OrderBody(std::int64_t n) const {
    std::mt19937_64 random(options_.seed * 1'000'003 + static_cast<std::uint64_t>(n));
    json items = json::array();
    std::int64_t units = 0;
    if (scarce_product_ && std::uniform_real_distribution<double>(0, 1)(random) < options_.scarce_orders) {
      items.push_back({{"product_id", scarce_product_->id}, {"quantity", 1}});
      return {json{{"items", std::move(items)}}, 1};
    }
    const int lines =
        std::uniform_int_distribution<int>(1, std::min(options_.max_lines, options_.products))(random);
    std::vector<int> chosen;
    while (static_cast<int>(chosen.size()) < lines) {
      const int product = std::uniform_int_distribution<int>(0, options_.products - 1)(random);
      if (std::find(chosen.begin(), chosen.end(), product) != chosen.end()) continue;
      chosen.push_back(product);
      const int quantity = std::uniform_int_distribution<int>(1, 2)(random);
      units += quantity;
      items.push_back(
          {{"product_id", products_[static_cast<std::size_t>(product)].id}, {"quantity", quantity}});
    }
    return {json{{"items", std::move(items)}}, units};
  }

  asio::awaitable<int> TakeCustomer() {
    if (!idle_customers_.empty()) {
      const int customer = idle_customers_.front();
      idle_customers_.pop_front();
      co_return customer;
    }
    auto waiter = std::make_shared<CustomerWaiter>(executor_);
    customer_waiters_.push_back(waiter);
    co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return waiter->customer;
  }

  void GiveBackCustomer(int customer) {
    if (customer_waiters_.empty()) {
      idle_customers_.push_back(customer);
      return;
    }
    auto waiter = std::move(customer_waiters_.front());
    customer_waiters_.pop_front();
    waiter->customer = customer;
    waiter->timer.cancel();
  }

  void Fail(std::string what) { ++post_failures_[std::move(what)]; }

  void Finish(std::size_t index, const StatusChange& change) {
    PlacedOrder& order = placed_[index];
    if (order.finished) return;  // a redelivered event
    order.finished = true;
    order.finished_at = change.received;
    order.status = change.status;
    order.reason = change.reason;
    ++finished_;
    last_finish_ = std::max(last_finish_, change.received);
    GiveBackCustomer(order.customer);
  }

  void OnStatus(StatusChange change) {
    ++statuses_seen_[change.status];
    if (change.status != "PAID" && change.status != "CANCELLED") return;
    const auto it = by_id_.find(change.order_id);
    if (it == by_id_.end()) {
      // Before its 202 came back (or not one of ours).
      early_.emplace(change.order_id, std::move(change));
      return;
    }
    Finish(it->second, change);
  }

  // Answers true when the order service refused the order for overload (503 overloaded).
  asio::awaitable<bool> PlaceOrder(std::int64_t n, int customer, std::uint16_t port, std::string target) {
    auto [body, units] = OrderBody(n);
    http::ClientRequest request;
    request.method = http::Method::kPost;
    request.target = std::move(target);
    request.body = body.dump();
    request.headers.Set("Authorization", customers_[static_cast<std::size_t>(customer)].authorization);
    request.headers.Set("Idempotency-Key", core::NewUuid());
    const auto sent = Clock::now();
    if (!first_sent_) first_sent_ = sent;
    http::ClientResponse response;
    try {
      response = co_await http_->Send(kHost, port, std::move(request));
    } catch (const http::ClientError& e) {
      Fail(std::string("transport: ") + e.what());
      GiveBackCustomer(customer);
      co_return false;
    }
    const auto answered = Clock::now();
    if (response.status != 202) {
      const json problem = json::parse(response.body, nullptr, false);
      const std::string type = problem.is_object() && problem.contains("type") ? problem["type"].dump() : "";
      Fail("HTTP " + std::to_string(response.status) + " " + type);
      const bool overloaded = response.status == 503 && type.find("/problems/overloaded") != std::string::npos;
      if (++refusals_logged_ <= 3) {
        Say("an order was refused: HTTP " + std::to_string(response.status) + " " +
            response.body.substr(0, 300));
      }
      GiveBackCustomer(customer);
      co_return overloaded;
    }
    const json created = json::parse(response.body, nullptr, false);
    if (!created.is_object() || !created.contains("id") || !created["id"].is_string()) {
      Fail("202 without an order id");
      GiveBackCustomer(customer);
      co_return false;
    }
    const std::string id = created["id"].get<std::string>();
    PlacedOrder order;
    order.customer = customer;
    order.sent = sent;
    order.answered = answered;
    order.total_minor = Integer(created, "total_minor");
    order.units = units;
    placed_.push_back(std::move(order));
    last_answered_ = std::max(last_answered_, answered);
    by_id_.emplace(id, placed_.size() - 1);
    const auto early = early_.find(id);
    if (early != early_.end()) {
      Finish(placed_.size() - 1, early->second);
      early_.erase(early);
    }
    co_return false;
  }

  asio::awaitable<void> OrderWorker(int worker) {
    const bool direct = options_.direct;
    const std::uint16_t port =
        direct ? order_ports_[static_cast<std::size_t>(worker) % order_ports_.size()] : gateway_port_;
    const std::string target = direct ? "/api/v1/orders" : "/api/v1/order/orders";
    while (next_order_ < options_.orders && !stopping_) {
      const std::int64_t n = next_order_++;
      if (options_.rate > 0) {
        const auto due =
            timed_start_ + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(static_cast<double>(n) / options_.rate));
        if (due > Clock::now()) co_await SleepUntil(due);
      }
      int customer = co_await TakeCustomer();
      if (customer < 0) break;
      // Unpaced, a refusal for overload is retried after its Retry-After (1 s), as a client would:
      // the run still places --orders orders. Paced, it stays refused (the offered load is fixed).
      while (co_await PlaceOrder(n, customer, port, target) && options_.rate <= 0 && !stopping_) {
        co_await Sleep(1s);
        const int again = co_await TakeCustomer();
        if (again < 0) co_return;
        customer = again;
      }
    }
  }

  std::int64_t Failures() const {
    std::int64_t total = 0;
    for (const auto& [what, count] : post_failures_) total += count;
    return total;
  }

  // Refusals other than the order service's admission control (503 overloaded), which is the
  // behaviour asked for under overload, not a failure of the run.
  std::int64_t UnexpectedFailures() const {
    std::int64_t total = 0;
    for (const auto& [what, count] : post_failures_) {
      if (what.find("/problems/overloaded") == std::string::npos) total += count;
    }
    return total;
  }

  asio::awaitable<PgCounters> ReadPgCounters() {
    const pg::Result result = co_await admin_->Execute(
        "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint, "
        "(pg_current_wal_lsn() - '0/0'::pg_lsn)::float8, "
        "(SELECT sum(xact_commit)::bigint FROM pg_stat_database), "
        "(SELECT wal_sync FROM pg_stat_wal)",
        {});
    co_return PgCounters{result.Get<std::int64_t>(0, 0), result.Get<double>(0, 1),
                         result.Get<std::int64_t>(0, 2), result.Get<std::int64_t>(0, 3)};
  }

  asio::awaitable<void> Timed(std::vector<Row>& rows) {
    for (int i = 0; i < options_.customers; ++i) idle_customers_.push_back(i);
    auto on_change = [this](StatusChange change) {
      asio::post(executor_, [this, change = std::move(change)]() mutable { OnStatus(std::move(change)); });
    };
    stream_ = std::make_unique<StatusStream>(options_.amqp_url, amqp::ExchangeOf("order"),
                                             "OrderStatusChanged", on_change);
    stream_->Start();

    const std::string how =
        options_.rate > 0 ? "at " + Thousands(options_.rate) + " orders/s" : "as fast as they go";
    Say("timed: " + Thousands(static_cast<double>(options_.orders)) + " orders over " +
        std::to_string(options_.connections) + " connections " + how + ", " +
        (options_.direct ? "straight to order" : "through the gateway") + " (" +
        std::to_string(options_.order_replicas) + " order replica(s))");
    pg_begin_ = co_await ReadPgCounters();
    const auto cpu_begin = meter_.Take();
    timed_start_ = Clock::now();
    // Shared with the workers' completion handlers, which may run after this frame is gone.
    auto workers = std::make_shared<ForEachState>();
    for (int worker = 0; worker < options_.connections; ++worker) {
      ++workers->running;
      auto done = [workers](std::exception_ptr error) {
        --workers->running;
        if (error && !workers->error) workers->error = error;
      };
      asio::co_spawn(executor_, OrderWorker(worker), done);
    }

    std::int64_t last_finished = 0;
    auto last_progress = Clock::now();
    auto next_report = Clock::now() + 5s;
    for (;;) {
      co_await Sleep(20ms);
      if (workers->error) std::rethrow_exception(workers->error);
      const std::int64_t placed = static_cast<std::int64_t>(placed_.size());
      if (workers->running == 0 && finished_ >= placed) break;
      if (finished_ != last_finished) {
        last_finished = finished_;
        last_progress = Clock::now();
      }
      if (const std::string error = stream_->Error(); !error.empty()) throw Failed("status stream: " + error);
      for (const auto& process : processes_) {
        if (!process.child->Running())
          throw Failed(process.name + " exited; see " + process.child->log_path());
      }
      if (Clock::now() > next_report) {
        next_report += 5s;
        Say("… " + std::to_string(placed) + " placed, " + std::to_string(finished_) + " finished, " +
            std::to_string(Failures()) + " refused");
      }
      if (Clock::now() - last_progress > std::chrono::duration<double>(options_.stall_seconds)) {
        throw Failed("no order finished for " + Fixed(options_.stall_seconds, 0) +
                     " s: " + std::to_string(placed) + " placed, " + std::to_string(finished_) +
                     " finished; statuses seen: " + StatusesSeen());
      }
    }
    const auto cpu_end = meter_.Take();
    pg_end_ = co_await ReadPgCounters();
    timed_end_ = Clock::now();
    stopping_ = true;
    stream_->Stop();
    Report(rows, meter_.Between(cpu_begin, cpu_end), Seconds(cpu_end.at - cpu_begin.at));
  }

  std::string StatusesSeen() const {
    std::string text;
    for (const auto& [status, count] : statuses_seen_)
      text += (text.empty() ? "" : ", ") + status + " " + std::to_string(count);
    return text.empty() ? "none" : text;
  }

  void Report(std::vector<Row>& rows, const CpuMeter::Usage& usage, double window) {
    std::vector<double> to_paid, to_cancelled, answer;
    std::map<std::string, std::int64_t> cancelled;
    std::int64_t paid = 0;
    for (const auto& order : placed_) {
      answer.push_back(Seconds(order.answered - order.sent));
      if (order.status == "PAID") {
        ++paid;
        to_paid.push_back(Seconds(order.finished_at - order.sent));
      } else if (order.status == "CANCELLED") {
        ++cancelled[order.reason.empty() ? "?" : order.reason];
        to_cancelled.push_back(Seconds(order.finished_at - order.sent));
      }
    }
    const double span = first_sent_ ? Seconds(last_finish_ - *first_sent_) : NAN;
    const double placing = first_sent_ ? Seconds(last_answered_ - *first_sent_) : NAN;
    const double throughput = static_cast<double>(finished_) / span;
    std::string cancelled_text;
    std::int64_t cancelled_total = 0;
    for (const auto& [reason, count] : cancelled) {
      cancelled_text +=
          (cancelled_text.empty() ? "" : ", ") + reason + " " + Thousands(static_cast<double>(count));
      cancelled_total += count;
    }
    std::string refused;
    for (const auto& [what, count] : post_failures_)
      refused += (refused.empty() ? "" : "; ") + what + " × " + std::to_string(count);

    const std::string setting =
        std::to_string(options_.connections) + " connections, " +
        (options_.rate > 0 ? Thousands(options_.rate) + " orders/s offered" : "unpaced") + ", " +
        (options_.direct ? "direct to order" : "through the gateway") + ", " +
        std::to_string(options_.order_replicas) + " order replica(s)";
    rows.push_back({"orders placed (202)", Thousands(static_cast<double>(placed_.size())),
                    "PAID " + Thousands(static_cast<double>(paid)) + ", CANCELLED " +
                        Thousands(static_cast<double>(cancelled_total)) +
                        (cancelled_text.empty() ? "" : " (" + cancelled_text + ")") + "; refused POSTs " +
                        std::to_string(Failures()) + (refused.empty() ? "" : " (" + refused + ")") +
                        (Failures() > 0 ? ", " + Thousands(static_cast<double>(Failures()) / placing) + "/s" : "")});
    rows.push_back({"throughput (finished orders / (last PAID|CANCELLED − first POST))",
                    "**" + Thousands(throughput) + " orders/s**",
                    Thousands(static_cast<double>(finished_)) + " orders in " + Fixed(span, 2) + " s; " +
                        setting + "; creations answered at " +
                        Thousands(static_cast<double>(placed_.size()) / placing) + "/s"});
    rows.push_back({"create → PAID (POST sent → status event received)",
                    "p50 " + Ms(Percentile(to_paid, 0.5)) + ", p99 " + Ms(Percentile(to_paid, 0.99)),
                    LatencyText(to_paid)});
    if (!to_cancelled.empty()) {
      rows.push_back(
          {"create → CANCELLED",
           "p50 " + Ms(Percentile(to_cancelled, 0.5)) + ", p99 " + Ms(Percentile(to_cancelled, 0.99)),
           LatencyText(to_cancelled)});
    }
    rows.push_back({"POST answered (202)",
                    "p50 " + Ms(Percentile(answer, 0.5)) + ", p99 " + Ms(Percentile(answer, 0.99)),
                    LatencyText(answer)});
    std::string cpu;
    double total_cores = 0;
    for (const auto& [group, cores] : usage.cores) {
      cpu +=
          (cpu.empty() ? "" : ", ") + group + " " + Fixed(cores * window, 1) + " s (" + Fixed(cores, 2) + ")";
      total_cores += cores;
    }
    rows.push_back({"CPU seconds per process over the timed phase (cores)", Fixed(window, 1) + " s window",
                    cpu + "; sum " + Fixed(total_cores, 2) + " cores; machine " +
                        Fixed(usage.machine_busy * 100, 0) + "% busy"});
    const double cpu_per_order =
        total_cores * window / static_cast<double>(std::max<std::int64_t>(finished_, 1));
    rows.push_back(
        {"CPU per finished order (all watched processes)", Fixed(cpu_per_order * 1000, 2) + " ms", ""});
    Say("throughput " + Thousands(throughput) + " orders/s; create → PAID " + LatencyText(to_paid) +
        "; POST → 202 p50 " + Ms(Percentile(answer, 0.5)) + ", p99 " + Ms(Percentile(answer, 0.99)) + "; refused " +
        std::to_string(Failures()));
    paid_ = paid;
    for (const auto& order : placed_) {
      if (order.status == "PAID") {
        paid_total_minor_ += order.total_minor;
        paid_units_ += order.units;
      }
    }
  }

  // PostgreSQL's side of the timed phase: write transactions and WAL exactly, commits and WAL
  // flushes from the statistics views once every backend has reported (they do every 10 s when
  // idle), minus what the checks after the phase added (a handful of read-only transactions).
  asio::awaitable<void> PostgresFigures(std::vector<Row>& rows) {
    const auto flushed_at = timed_end_ + 11s;
    if (Clock::now() < flushed_at) co_await SleepUntil(flushed_at);
    const PgCounters later = co_await ReadPgCounters();
    const double window = Seconds(timed_end_ - timed_start_);
    const double per_order = static_cast<double>(std::max<std::int64_t>(finished_, 1));
    const auto xids = static_cast<double>(pg_end_.next_xid - pg_begin_.next_xid);
    const auto commits = static_cast<double>(later.commits - pg_begin_.commits);
    const auto syncs = static_cast<double>(later.wal_syncs - pg_begin_.wal_syncs);
    const double wal = pg_end_.wal_bytes - pg_begin_.wal_bytes;
    rows.push_back({"PostgreSQL over the timed phase", Thousands(xids / window) + " write transactions/s",
                    Fixed(xids / per_order, 1) + " write transactions, " + Fixed(commits / per_order, 1) +
                        " commits (incl. read-only), " + Fixed(syncs / per_order, 2) + " WAL flushes, " +
                        Thousands(wal / per_order) + " B of WAL per order; " + Thousands(syncs / window) +
                        " WAL flushes/s, " + Fixed(wal / window / 1e6, 1) + " MB/s of WAL"});
  }

  // ---------------------------------------------------------------------------------------------
  // invariants

  struct Check {
    std::string what;
    bool ok = false;
    std::string detail;
  };

  // Straight from the service, not through the gateway: the gateway's pooled connections to a
  // service that got no request during a long timed phase have been closed by that service, and
  // the gateway answers 502/503 until it has tried each of them (see the report).
  asio::awaitable<Reply> Direct(std::string process, std::string target) {
    std::uint16_t port = 0;
    for (const auto& candidate : processes_) {
      if (candidate.name == process) port = candidate.port;
    }
    return Call(port, http::Method::kGet, std::move(target), operator_token_);
  }

  asio::awaitable<std::vector<Check>> ReadInvariants() {
    std::vector<Check> checks;
    const Reply ledger = co_await Direct("payment", "/api/v1/ledger");
    if (ledger.status != 200) throw Failed("payment ledger: " + ledger.Describe());
    const std::int64_t deposits = Integer(ledger.body, "deposits_minor");
    const std::int64_t balances = Integer(ledger.body, "balances_minor");
    const std::int64_t captured = Integer(ledger.body, "captured_minor");
    const std::int64_t refunded = Integer(ledger.body, "refunded_minor");
    checks.push_back({"payment: deposits = balances + captured − refunded",
                      deposits == balances + captured - refunded,
                      std::to_string(deposits) + " vs " + std::to_string(balances) + " + " +
                          std::to_string(captured) + " − " + std::to_string(refunded)});
    checks.push_back({"payment: captured − refunded = total of PAID orders",
                      captured - refunded == paid_total_minor_,
                      std::to_string(captured - refunded) + " vs " + std::to_string(paid_total_minor_)});

    const Reply totals = co_await Direct("stock", "/api/v1/totals");
    if (totals.status != 200) throw Failed("stock totals: " + totals.Describe());
    const std::int64_t received = Integer(totals.body, "received");
    const std::int64_t free = Integer(totals.body, "free");
    const std::int64_t reserved = Integer(totals.body, "reserved");
    const std::int64_t shipped = Integer(totals.body, "shipped");
    checks.push_back({"stock: received = free + reserved + shipped", received == free + reserved + shipped,
                      std::to_string(received) + " vs " + std::to_string(free) + " + " +
                          std::to_string(reserved) + " + " + std::to_string(shipped)});
    checks.push_back(
        {"stock: reserved = units of PAID orders (nothing shipped yet)", reserved + shipped == paid_units_,
         std::to_string(reserved) + " + " + std::to_string(shipped) + " vs " + std::to_string(paid_units_)});

    const Reply stats = co_await Direct("order-1", "/api/v1/orders/stats");
    if (stats.status != 200 || !stats.body.is_object() || !stats.body.contains("by_status")) {
      throw Failed("order stats: " + stats.Describe());
    }
    const json& by_status = stats.body["by_status"];
    const auto count = [&by_status](const char* status) -> std::int64_t {
      const auto it = by_status.find(status);
      return it != by_status.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
    };
    checks.push_back(
        {"order: none left PENDING or RESERVED", count("PENDING") == 0 && count("RESERVED") == 0,
         "PENDING " + std::to_string(count("PENDING")) + ", RESERVED " + std::to_string(count("RESERVED"))});
    const auto placed = static_cast<std::int64_t>(placed_.size());
    checks.push_back({"order: every order counted once, PAID as observed",
                      Integer(stats.body, "total") == placed && count("PAID") == paid_,
                      "total " + std::to_string(Integer(stats.body, "total")) + " vs " +
                          std::to_string(placed) + " placed; PAID " + std::to_string(count("PAID")) + " vs " +
                          std::to_string(paid_)});

    amqp::QueueAdmin broker(options_.amqp_url);
    std::string dead;
    std::size_t dead_total = 0;
    for (const std::string consumer : {"catalog", "stock", "payment", "order"}) {
      const std::size_t count = broker.MessageCount(amqp::DeadLetterQueueOf(consumer));
      dead_total += count;
      dead += (dead.empty() ? "" : ", ") + consumer + " " + std::to_string(count);
    }
    checks.push_back({"nothing dead-lettered", dead_total == 0, dead});
    co_return checks;
  }

  // Compensations (stock releases, refunds) may still be on their way when the order's terminal
  // status is seen: the invariants get a few seconds to settle.
  asio::awaitable<int> CheckInvariants(std::vector<Row>& rows) {
    const auto give_up = Clock::now() + 15s;
    std::vector<Check> checks;
    for (;;) {
      checks = co_await ReadInvariants();
      const bool all = std::all_of(checks.begin(), checks.end(), [](const Check& check) { return check.ok; });
      if (all || Clock::now() > give_up) break;
      co_await Sleep(250ms);
    }
    int failed = 0;
    for (const auto& check : checks) {
      Say(std::string(check.ok ? "ok    " : "FAILED ") + check.what + ": " + check.detail);
      if (!check.ok) ++failed;
    }
    rows.push_back(
        {"invariants after the run",
         failed == 0 ? "all " + std::to_string(checks.size()) + " hold" : std::to_string(failed) + " FAILED",
         gateway_retries_ == 0 ? ""
                               : "the gateway answered 502/503 " + std::to_string(gateway_retries_) +
                                     " time(s) to reads after the timed phase (retried)"});
    co_return failed == 0 ? 0 : 3;
  }

  // ---------------------------------------------------------------------------------------------

  asio::awaitable<void> Cleanup() {
    stopping_ = true;
    if (stream_) stream_->Stop();
    for (auto& waiter : customer_waiters_) waiter->timer.cancel();
    customer_waiters_.clear();
    StopProcesses();
    order_db_.reset();
    for (const auto& database : databases_) {
      try {
        co_await admin_->Execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", {});
      } catch (const std::exception& e) {
        Say("cannot drop database " + database + ": " + e.what());
      }
    }
    admin_.reset();
    http_.reset();  // its idle connections would keep the event loop running
  }

  const Options& options_;
  const std::string id_;
  const auth::GeneratedKeyPair keys_;
  const auth::Signer signer_;
  asio::any_io_executor executor_;
  std::unique_ptr<pg::Pool> admin_;
  std::unique_ptr<pg::Pool> order_db_;
  std::unique_ptr<http::Client> http_;
  CpuMeter meter_;
  std::vector<std::unique_ptr<Child>> children_;
  std::vector<Process> processes_;
  std::vector<std::string> databases_;
  std::uint16_t gateway_port_ = 0;
  std::vector<std::uint16_t> order_ports_;

  std::string admin_token_;
  std::string stock_token_;
  std::string operator_token_;
  std::vector<Product> products_;
  std::optional<Product> scarce_product_;
  std::vector<Customer> customers_;

  std::unique_ptr<StatusStream> stream_;
  std::deque<int> idle_customers_;
  std::deque<std::shared_ptr<CustomerWaiter>> customer_waiters_;
  std::vector<PlacedOrder> placed_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::unordered_map<std::string, StatusChange> early_;
  std::map<std::string, std::int64_t> statuses_seen_;
  std::map<std::string, std::int64_t> post_failures_;
  int gateway_retries_ = 0;
  std::int64_t next_order_ = 0;
  int refusals_logged_ = 0;
  std::int64_t finished_ = 0;
  bool stopping_ = false;
  Clock::time_point timed_start_;
  Clock::time_point timed_end_;
  std::optional<Clock::time_point> first_sent_;
  Clock::time_point last_answered_;
  Clock::time_point last_finish_;
  PgCounters pg_begin_;
  PgCounters pg_end_;
  std::int64_t paid_ = 0;
  std::int64_t paid_total_minor_ = 0;
  std::int64_t paid_units_ = 0;

 public:
  std::int64_t unexpected_failures() const { return UnexpectedFailures(); }
  // The gateway first, the consumers of everyone else's events last.
  void StopProcesses() {
    for (auto it = children_.rbegin(); it != children_.rend(); ++it) (*it)->Stop();
  }
};

std::pair<std::string, std::string> ParseAssignment(const std::string& item) {
  const auto eq = item.find('=');
  if (eq == std::string::npos || eq == 0) throw std::invalid_argument("expected KEY=VALUE, got " + item);
  return {item.substr(0, eq), item.substr(eq + 1)};
}

}  // namespace
}  // namespace microstore::bench

int main(int argc, char** argv) {
  using namespace microstore;
  bench::Options options;
  std::vector<std::string> env, service_env;
  CLI::App app{
      "Checkout benchmark: orders through the whole system to PAID or CANCELLED, then the invariants."};
  app.add_option("--pg-url", options.pg_url, "PostgreSQL admin URL (databases are created and dropped)")
      ->required();
  app.add_option("--amqp-url", options.amqp_url,
                 "RabbitMQ URL (a throw-away broker: the services' queues stay)")
      ->required();
  app.add_option("--services-dir", options.services_dir, "where <name>/microstore-<name> are built")
      ->capture_default_str();
  app.add_option("--customers", options.customers, "customers, each with at most one unpaid order")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  app.add_option("--products", options.products, "products in the catalogue")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
  app.add_option("--orders", options.orders, "orders placed in the timed phase")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--connections", options.connections, "keep-alive HTTP connections placing orders")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--rate", options.rate, "orders/s offered (0: as fast as the connections go)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--order-replicas", options.order_replicas, "order service processes (one database)")
      ->check(CLI::Range(1, 8))
      ->capture_default_str();
  app.add_flag("--direct", options.direct,
               "send orders straight to the order replicas, not through the gateway");
  app.add_option("--poor-customers", options.poor_customers,
                 "fraction of customers with 1 minor unit: their orders end CANCELLED insufficient_funds")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option(
         "--scarce-orders", options.scarce_orders,
         "fraction of orders for one scarce product (--scarce-stock units): most end CANCELLED out_of_stock")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--scarce-stock", options.scarce_stock, "units of the scarce product")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  app.add_option("--max-lines", options.max_lines, "most lines per order (1 to this many, 1-2 units each)")
      ->check(CLI::Range(1, 50))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "seed of the orders' contents")->capture_default_str();
  app.add_option("--stall-seconds", options.stall_seconds, "give up when no order finishes for this long")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--setup-parallelism", options.setup_parallelism, "concurrent requests of the set-up")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--env", env, "KEY=VALUE for every service (e.g. MICROSTORE_DB_POOL_SIZE=16)");
  app.add_option("--service-env", service_env,
                 "NAME:KEY=VALUE for one service (identity, catalog, stock, payment, order, gateway) or one "
                 "process (order-2)");
  app.add_option("--work-dir", options.work_dir,
                 "where the processes' logs go (default: a new temporary dir)");
  app.add_option("--pg-pid", options.pg_pid, "PostgreSQL postmaster pid: report its CPU (with backends)");
  app.add_option("--broker-pid", options.broker_pid, "RabbitMQ beam.smp pid: report its CPU");
  CLI11_PARSE(app, argc, argv);

  try {
    for (const auto& item : env) options.env.insert(bench::ParseAssignment(item));
    for (const auto& item : service_env) {
      const auto colon = item.find(':');
      if (colon == std::string::npos || colon == 0)
        throw std::invalid_argument("expected NAME:KEY=VALUE, got " + item);
      options.service_env[item.substr(0, colon)].insert(bench::ParseAssignment(item.substr(colon + 1)));
    }
    if (options.work_dir.empty()) {
      char pattern[] = "/tmp/microstore-bench.XXXXXX";
      if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
      options.work_dir = pattern;
    }
    std::filesystem::create_directories(options.work_dir);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 2;
  }

  log::Init("bench", log::Level::kWarn);
  int code = 1;
  std::vector<bench::Row> rows;
  try {
    boost::asio::io_context io;
    bench::Bench run(options);
    // Interrupted: stop the services now (the script deletes the servers under them next).
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&run](const boost::system::error_code& error, int signal) {
      if (error) return;
      std::cerr << "signal " << signal << ": stopping the services" << std::endl;
      run.StopProcesses();
      std::_Exit(128 + signal);
    });
    std::exception_ptr failure;
    auto finished = [&](std::exception_ptr error, int result) {
      failure = error;
      code = result;
      signals.cancel();
    };
    boost::asio::co_spawn(io, run.Run(rows), finished);
    io.run();
    if (failure) std::rethrow_exception(failure);
    if (code == 0 && run.unexpected_failures() > 0) code = 1;
  } catch (const std::exception& e) {
    code = 1;
    std::cerr << "error: " << e.what() << std::endl;
  }
  if (!rows.empty()) {
    std::cout << "\n| measurement | figure | details |\n|---|---|---|\n";
    for (const auto& row : rows)
      std::cout << "| " << row.what << " | " << row.figure << " | " << row.detail << " |\n";
  }
  std::cout << "\nprocess logs: " << options.work_dir << std::endl;
  log::Shutdown();
  return code;
}
