#include "harness.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <thread>

#include "api/routes.hpp"
#include "auth/jwt.hpp"
#include "core/ids.hpp"
#include "http/server.hpp"
#include "infra/event_handlers.hpp"
#include "infra/migrations.hpp"
#include "messaging/migrations.hpp"
#include "migrations/migration.hpp"
#include "pg/pool.hpp"
#include "testing/inbox.hpp"
#include "testing/testing.hpp"

namespace microstore::order::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr const char* kIssuer = "microstore-identity";
constexpr const char* kNodeId = "order-test-node";

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

}  // namespace

std::string Reply::Header(const std::string& name) const {
  const auto it = headers.find(Lower(name));
  return it == headers.end() ? std::string() : it->second;
}

struct OrderServer::State {
  asio::io_context io;
  microstore::testing::TempDatabase database;
  auth::GeneratedKeyPair keys = auth::GenerateKeyPair("k1");
  auth::Signer signer = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys.seed));
  auth::Verifier verifier =
      std::get<auth::Verifier>(auth::Verifier::FromConfig("k1:" + keys.public_key, kIssuer));
  std::unique_ptr<pg::Pool> pool;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::uint16_t port = 0;
  std::thread thread;
};

OrderServer::OrderServer() : state_(std::make_unique<State>()) {
  State& s = *state_;
  microstore::testing::Run(s.io, Migrate(s.database.url()));
  s.pool = std::make_unique<pg::Pool>(s.io.get_executor(),
                                      pg::PoolOptions{.conninfo = s.database.url(), .max_size = 4});
  RegisterRoutes(s.router, *s.pool, kNodeId);
  s.server = std::make_unique<http::Server>(s.io.get_executor(), http::ServerOptions{.port = 0}, s.router,
                                            &s.verifier);
  s.port = s.server->Start();
  s.io.restart();
  s.thread = std::thread([&s] { s.io.run(); });
}

OrderServer::~OrderServer() {
  State& s = *state_;
  asio::post(s.io, [&s] { s.server->Shutdown([&s] { s.io.stop(); }); });
  s.thread.join();
  s.server.reset();
  s.pool.reset();
}

Reply OrderServer::Send(const std::string& method, const std::string& target, const std::string& body,
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

std::string OrderServer::Bearer(const std::string& subject, auth::RoleSet roles) const {
  const auto now = std::chrono::system_clock::now();
  return "Authorization: Bearer " +
         state_->signer.Sign({subject, roles, "jti-" + subject, kIssuer, now, now + std::chrono::minutes(5)});
}

Reply OrderServer::PlaceOrder(const std::string& customer_id, const nlohmann::json& body,
                              const std::string& key, std::vector<std::string> headers) {
  headers.push_back(Bearer(customer_id, {auth::Role::kCustomer}));
  headers.push_back("Content-Type: application/json");
  headers.push_back("Idempotency-Key: " + key);
  return Send("POST", "/api/v1/orders", body.dump(), headers);
}

Reply OrderServer::GetAs(const std::string& subject, auth::RoleSet roles, const std::string& target) {
  return Send("GET", target, "", {Bearer(subject, roles)});
}

Reply OrderServer::PostAs(const std::string& subject, auth::RoleSet roles, const std::string& target) {
  return Send("POST", target, "", {Bearer(subject, roles)});
}

std::vector<amqp::Outcome::Kind> OrderServer::Deliver(const std::vector<messaging::Envelope>& events) {
  return microstore::testing::DeliverThroughInbox(state_->database.url(), "order",
                                                  EventSubscriptions(kNodeId), events);
}

void OrderServer::AddProduct(const std::string& product_id, const std::string& sku, std::int64_t price_minor,
                             const std::string& currency, std::int64_t version) {
  const auto outcomes =
      Deliver({ProductEvent("ProductCreated", product_id, sku, price_minor, currency, version)});
  ASSERT_EQ(outcomes, std::vector<amqp::Outcome::Kind>{amqp::Outcome::Kind::kAck});
}

std::vector<StoredEvent> OrderServer::OutboxEvents() const {
  const std::string rows =
      Sql("SELECT coalesce(json_agg(json_build_object('type', type, 'body', body) ORDER BY id), '[]')::text "
          "FROM outbox");
  std::vector<StoredEvent> events;
  for (const auto& row : nlohmann::json::parse(rows)) {
    events.push_back({row["type"].get<std::string>(), nlohmann::json::parse(row["body"].get<std::string>())});
  }
  return events;
}

std::string OrderServer::Sql(const std::string& query) const {
  return microstore::testing::QueryValueSync(state_->database.url(), query);
}

const std::string& OrderServer::DatabaseUrl() const { return state_->database.url(); }

messaging::Envelope Event(const std::string& producer, const std::string& type,
                          messaging::AggregateRef aggregate, nlohmann::json payload) {
  return messaging::MakeEvent(type, 1, std::move(aggregate), std::move(payload), {"corr-" + type, "", ""},
                              producer, producer + "-test-node", core::NewUuid(),
                              std::chrono::system_clock::now());
}

messaging::Envelope ProductEvent(const std::string& type, const std::string& product_id,
                                 const std::string& sku, std::int64_t price_minor,
                                 const std::string& currency, std::int64_t version, bool archived) {
  return Event("catalog", type, {"product", product_id, version, archived ? "ARCHIVED" : "ACTIVE"},
               {{"product_id", product_id},
                {"sku", sku},
                {"name", "Product " + sku},
                {"description", ""},
                {"photo_url", nullptr},
                {"price_minor", price_minor},
                {"currency", currency},
                {"weight_grams", 100},
                {"dimensions_mm", {{"length", 1}, {"width", 1}, {"height", 1}}},
                {"tags", nlohmann::json::array()},
                {"on_promotion", false},
                {"archived", archived},
                {"version", version},
                {"created_at", "2026-11-23T10:00:00.000Z"},
                {"updated_at", "2026-11-23T10:00:00.000Z"}});
}

nlohmann::json OrderBody(const std::vector<std::pair<std::string, int>>& lines) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& [product_id, quantity] : lines)
    items.push_back({{"product_id", product_id}, {"quantity", quantity}});
  return {{"items", std::move(items)}};
}

}  // namespace microstore::order::testing
