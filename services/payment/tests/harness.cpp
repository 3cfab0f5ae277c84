#include "harness.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <future>
#include <thread>

#include "api/routes.hpp"
#include "auth/jwt.hpp"
#include "core/ids.hpp"
#include "http/server.hpp"
#include "infra/event_handlers.hpp"
#include "infra/migrations.hpp"
#include "messaging/inbox.hpp"
#include "messaging/migrations.hpp"
#include "migrations/migration.hpp"
#include "pg/pool.hpp"
#include "testing/testing.hpp"

namespace microstore::payment::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr const char* kIssuer = "microstore-identity";

asio::awaitable<void> Migrate(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
  co_await migrations::Apply(pool, messaging::Migrations(), messaging::kMigrationsComponent);
  co_await migrations::Apply(pool, Migrations());
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

messaging::Envelope Event(std::string producer, std::string type, messaging::AggregateRef aggregate,
                          nlohmann::json payload) {
  return messaging::MakeEvent(std::move(type), 1, std::move(aggregate), std::move(payload),
                              {"corr-" + core::NewUuid(), "", ""}, std::move(producer), "test-node",
                              core::NewUuid(), std::chrono::system_clock::now());
}

amqp::Delivery DeliveryOf(const messaging::Envelope& event) {
  amqp::Delivery delivery;
  delivery.exchange = amqp::ExchangeOf(event.producer);
  delivery.routing_key = event.type;
  delivery.message_id = event.id;
  delivery.type = event.type;
  delivery.correlation_id = event.correlation_id;
  delivery.body = messaging::ToJson(event);
  return delivery;
}

}  // namespace

std::string Reply::Header(const std::string& name) const {
  const auto it = headers.find(Lower(name));
  return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> Reply::ErrorFields() const {
  std::vector<std::string> fields;
  if (!body.is_object()) return fields;
  for (const auto& error : body.value("errors", nlohmann::json::array()))
    fields.push_back(error.value("field", ""));
  return fields;
}

messaging::Envelope UserRegistered(const std::string& user_id, std::vector<std::string> roles) {
  return Event("identity", "UserRegistered", {"user", user_id, 1, "ACTIVE"},
               {{"user_id", user_id},
                {"email", "someone@example.com"},
                {"first_name", "Anna"},
                {"last_name", "Petrova"},
                {"roles", roles}});
}

messaging::Envelope StockReserved(const std::string& order_id, const std::string& customer_id,
                                  std::int64_t total_minor, const std::string& currency,
                                  std::int64_t order_version) {
  return Event("stock", "StockReserved", {"reservation", order_id, 1, "BOOKED"},
               {{"order_id", order_id},
                {"customer_id", customer_id},
                {"order_version", order_version},
                {"items", {{{"product_id", core::NewUuid()}, {"quantity", 1}}}},
                {"total_minor", total_minor},
                {"currency", currency}});
}

messaging::Envelope OrderCancelled(const std::string& order_id, const std::string& customer_id,
                                   std::int64_t total_minor, const std::string& currency) {
  return Event("order", "OrderCancelled", {"order", order_id, 3, "CANCELLED"},
               {{"order_id", order_id},
                {"customer_id", customer_id},
                {"reason", "customer_cancelled"},
                {"previous_status", "PAID"},
                {"version", 3},
                {"items", nlohmann::json::array()},
                {"total_minor", total_minor},
                {"currency", currency},
                {"cancelled_at", "2026-11-23T10:00:00.123Z"}});
}

struct PaymentServer::State {
  asio::io_context io;
  microstore::testing::TempDatabase database;
  auth::GeneratedKeyPair keys = auth::GenerateKeyPair("k1");
  auth::Signer signer = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys.seed));
  auth::Verifier verifier =
      std::get<auth::Verifier>(auth::Verifier::FromConfig("k1:" + keys.public_key, kIssuer));
  std::unique_ptr<pg::Pool> pool;
  std::unique_ptr<messaging::Inbox> inbox;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::uint16_t port = 0;
  std::thread thread;
  // Keeps io.run() going between requests and deliveries.
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
};

PaymentServer::PaymentServer() : state_(std::make_unique<State>()) {
  State& s = *state_;
  microstore::testing::Run(s.io, Migrate(s.database.url()));
  s.pool = std::make_unique<pg::Pool>(s.io.get_executor(),
                                      pg::PoolOptions{.conninfo = s.database.url(), .max_size = 8});
  const Settings settings{.currency = kCurrency, .node_id = "payment-test-node"};
  s.inbox = std::make_unique<messaging::Inbox>(*s.pool, "payment", messaging::Upcasters{});
  for (auto& subscription : EventSubscriptions(settings))
    s.inbox->On(subscription.type, subscription.handler);
  RegisterRoutes(s.router, *s.pool, settings);
  s.server = std::make_unique<http::Server>(s.io.get_executor(), http::ServerOptions{.port = 0}, s.router,
                                            &s.verifier);
  s.port = s.server->Start();
  s.work.emplace(s.io.get_executor());
  s.io.restart();
  s.thread = std::thread([&s] { s.io.run(); });
}

PaymentServer::~PaymentServer() {
  State& s = *state_;
  asio::post(s.io, [&s] {
    s.work.reset();
    s.server->Shutdown([&s] { s.io.stop(); });
  });
  s.thread.join();
  s.server.reset();
  s.inbox.reset();
  s.pool.reset();
}

Reply PaymentServer::Send(const std::string& method, const std::string& target, const std::string& body,
                          const std::vector<std::string>& headers) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), state_->port));
  timeval timeout{30, 0};  // a hung server fails the test instead of hanging it
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n";
  for (const auto& header : headers) raw += header + "\r\n";
  raw += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  asio::write(socket, asio::buffer(raw));
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(socket, buffer, response);

  Reply reply;
  reply.status = response.result_int();
  reply.text = response.body();
  for (const auto& field : response) {
    reply.headers[Lower(std::string(field.name_string()))] = std::string(field.value());
  }
  reply.body = nlohmann::json::parse(reply.text, nullptr, false);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

Reply PaymentServer::GetAs(const std::string& target, const std::string& subject, auth::RoleSet roles) {
  return Send("GET", target, "", {Bearer(subject, roles)});
}

Reply PaymentServer::Deposit(const std::string& customer, std::int64_t amount_minor,
                             const std::string& idempotency_key) {
  return Send("POST", "/api/v1/accounts/me/deposits", nlohmann::json{{"amount_minor", amount_minor}}.dump(),
              {Bearer(customer, {auth::Role::kCustomer}), "Content-Type: application/json",
               "Idempotency-Key: " + idempotency_key});
}

std::string PaymentServer::Token(const std::string& subject, auth::RoleSet roles) const {
  const auto now = std::chrono::system_clock::now();
  return state_->signer.Sign({subject, roles, "jti-" + subject, kIssuer, now, now + std::chrono::minutes(5)});
}

amqp::Outcome PaymentServer::Deliver(const messaging::Envelope& event) {
  return DeliverConcurrently({event}).at(0);
}

std::vector<amqp::Outcome> PaymentServer::DeliverConcurrently(
    const std::vector<messaging::Envelope>& events) {
  std::vector<std::future<amqp::Outcome>> pending;
  pending.reserve(events.size());
  for (const auto& event : events) {
    pending.push_back(asio::co_spawn(state_->io, state_->inbox->Handle(DeliveryOf(event)), asio::use_future));
  }
  std::vector<amqp::Outcome> outcomes;
  for (auto& outcome : pending) outcomes.push_back(outcome.get());
  return outcomes;
}

std::vector<StoredEvent> PaymentServer::OutboxEvents() const {
  const std::string rows =
      Sql("SELECT coalesce(json_agg(json_build_object('event_id', event_id, 'type', type, 'body', body) "
          "ORDER BY id), "
          "'[]')::text FROM outbox");
  std::vector<StoredEvent> events;
  for (const auto& row : nlohmann::json::parse(rows)) {
    events.push_back({row["event_id"].get<std::string>(), row["type"].get<std::string>(),
                      nlohmann::json::parse(row["body"].get<std::string>())});
  }
  return events;
}

std::vector<StoredEvent> PaymentServer::OutboxEvents(const std::string& type) const {
  std::vector<StoredEvent> events;
  for (auto& event : OutboxEvents()) {
    if (event.type == type) events.push_back(std::move(event));
  }
  return events;
}

std::string PaymentServer::Sql(const std::string& query) const {
  return microstore::testing::QueryValueSync(state_->database.url(), query);
}

void PaymentServer::Exec(const std::string& statement) const {
  microstore::testing::ExecSync(state_->database.url(), statement);
}

std::int64_t PaymentServer::Balance(const std::string& customer) const {
  const std::string value =
      Sql("SELECT coalesce((SELECT balance_minor FROM accounts WHERE customer_id = '" + customer + "'), -1)");
  return std::stoll(value);
}

}  // namespace microstore::payment::testing
