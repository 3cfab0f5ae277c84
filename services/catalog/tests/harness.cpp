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
#include "http/server.hpp"
#include "infra/migrations.hpp"
#include "messaging/migrations.hpp"
#include "migrations/migration.hpp"
#include "pg/pool.hpp"
#include "testing/testing.hpp"

namespace microstore::catalog::testing {
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

}  // namespace

std::string Reply::Header(const std::string& name) const {
  const auto it = headers.find(Lower(name));
  return it == headers.end() ? std::string() : it->second;
}

struct CatalogServer::State {
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

CatalogServer::CatalogServer() : state_(std::make_unique<State>()) {
  State& s = *state_;
  microstore::testing::Run(s.io, Migrate(s.database.url()));
  s.pool = std::make_unique<pg::Pool>(s.io.get_executor(),
                                      pg::PoolOptions{.conninfo = s.database.url(), .max_size = 4});
  RegisterRoutes(s.router, *s.pool, "catalog-test-node");
  s.server = std::make_unique<http::Server>(s.io.get_executor(), http::ServerOptions{.port = 0}, s.router,
                                            &s.verifier);
  s.port = s.server->Start();
  s.io.restart();
  s.thread = std::thread([&s] { s.io.run(); });
}

CatalogServer::~CatalogServer() {
  State& s = *state_;
  // Idle pooled connections keep no operation pending, but stop explicitly once drained anyway.
  asio::post(s.io, [&s] { s.server->Shutdown([&s] { s.io.stop(); }); });
  s.thread.join();
  s.server.reset();
  s.pool.reset();
}

Reply CatalogServer::Send(const std::string& method, const std::string& target, const std::string& body,
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

Reply CatalogServer::AdminPost(const std::string& target, const nlohmann::json& body,
                               std::vector<std::string> headers) {
  headers.push_back(Bearer({auth::Role::kAdmin}));
  headers.push_back("Content-Type: application/json");
  return Send("POST", target, body.dump(), headers);
}

Reply CatalogServer::AdminPatch(const std::string& target, const nlohmann::json& body,
                                std::vector<std::string> headers) {
  headers.push_back(Bearer({auth::Role::kAdmin}));
  headers.push_back("Content-Type: application/json");
  return Send("PATCH", target, body.dump(), headers);
}

std::string CatalogServer::Token(auth::RoleSet roles) const {
  const auto now = std::chrono::system_clock::now();
  return state_->signer.Sign({"user-1", roles, "jti-1", kIssuer, now, now + std::chrono::minutes(5)});
}

nlohmann::json CatalogServer::Create(const nlohmann::json& body) {
  const Reply reply = AdminPost("/api/v1/products", body);
  EXPECT_EQ(reply.status, 201) << reply.text;
  return reply.body;
}

std::vector<StoredEvent> CatalogServer::OutboxEvents() const {
  const std::string rows =
      Sql("SELECT coalesce(json_agg(json_build_object('type', type, 'body', body) ORDER BY id), '[]')::text "
          "FROM outbox");
  std::vector<StoredEvent> events;
  for (const auto& row : nlohmann::json::parse(rows)) {
    events.push_back({row["type"].get<std::string>(), nlohmann::json::parse(row["body"].get<std::string>())});
  }
  return events;
}

std::string CatalogServer::Sql(const std::string& query) const {
  return microstore::testing::QueryValueSync(state_->database.url(), query);
}

const std::string& CatalogServer::DatabaseUrl() const { return state_->database.url(); }

nlohmann::json ProductBody(const std::string& sku, const std::string& name, std::int64_t price_minor,
                           const std::string& description) {
  return {{"sku", sku},        {"name", name},    {"description", description}, {"price_minor", price_minor},
          {"currency", "RUB"}, {"tags", {"test"}}};
}

}  // namespace microstore::catalog::testing
