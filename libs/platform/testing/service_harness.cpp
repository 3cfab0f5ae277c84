#include "platform/testing/service_harness.hpp"

#include <sys/socket.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <thread>

#include "platform/auth/jwt.hpp"
#include "platform/auth/keys.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server.hpp"
#include "platform/messaging/migrations.hpp"
#include "platform/pg/pool.hpp"
#include "platform/testing/testing.hpp"

namespace microstore::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr const char* kIssuer = "microstore-identity";

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

asio::awaitable<void> MigrateUrl(std::string url, std::vector<migrations::Migration> service) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
  co_await Migrate(pool, std::move(service));
}

}  // namespace

asio::awaitable<void> Migrate(pg::Pool& pool, std::vector<migrations::Migration> service) {
  co_await migrations::Apply(pool, messaging::Migrations(), messaging::kMigrationsComponent);
  co_await migrations::Apply(pool, std::move(service));
}

void MigrateSync(const std::string& url, const std::vector<migrations::Migration>& service) {
  asio::io_context io;
  Run(io, MigrateUrl(url, service));
}

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

struct ServiceHarness::State {
  Options options;
  asio::io_context io;
  TempDatabase database;
  auth::GeneratedKeyPair keys = auth::GenerateKeyPair("k1");
  auth::Signer signer = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys.seed));
  auth::Verifier verifier =
      std::get<auth::Verifier>(auth::Verifier::FromConfig("k1:" + keys.public_key, kIssuer));
  std::unique_ptr<pg::Pool> pool;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::uint16_t port = 0;
  // Keeps io.run() going between requests.
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread thread;
};

ServiceHarness::ServiceHarness(std::vector<migrations::Migration> migrations, RouteRegistrar register_routes)
    : ServiceHarness(std::move(migrations), std::move(register_routes), Options{}) {}

ServiceHarness::ServiceHarness(std::vector<migrations::Migration> migrations, RouteRegistrar register_routes,
                               Options options)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.options = std::move(options);
  MigrateSync(s.database.url(), migrations);
  s.pool = std::make_unique<pg::Pool>(s.io.get_executor(),
                                      pg::PoolOptions{.conninfo = s.database.url(), .max_size = 4});
  register_routes(s.router, *s.pool);
  s.server = std::make_unique<http::Server>(s.io.get_executor(), http::ServerOptions{.port = 0}, s.router,
                                            &s.verifier);
  s.port = s.server->Start();
  s.work.emplace(s.io.get_executor());
  s.thread = std::thread([&s] { s.io.run(); });
}

ServiceHarness::~ServiceHarness() {
  State& s = *state_;
  asio::post(s.io, [&s] {
    s.work.reset();
    s.server->Shutdown([&s] { s.io.stop(); });
  });
  s.thread.join();
  s.server.reset();
  s.pool.reset();
}

Reply ServiceHarness::Send(const std::string& method, const std::string& target, const std::string& body,
                           const std::vector<std::string>& headers) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), state_->port));
  timeval timeout{30, 0};
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

Reply ServiceHarness::Get(const std::string& target, const std::vector<std::string>& headers) {
  return Send("GET", target, "", headers);
}

Reply ServiceHarness::SendJson(const std::string& method, const std::string& target,
                               const nlohmann::json& body, std::vector<std::string> headers) {
  headers.push_back("Content-Type: application/json");
  return Send(method, target, body.dump(), headers);
}

Reply ServiceHarness::Post(const std::string& target, const nlohmann::json& body,
                           std::vector<std::string> headers) {
  return SendJson("POST", target, body, std::move(headers));
}

std::string ServiceHarness::Token(auth::RoleSet roles) const { return Token(state_->options.subject, roles); }

std::string ServiceHarness::Token(const std::string& subject, auth::RoleSet roles) const {
  const auto now = std::chrono::system_clock::now();
  return state_->signer.Sign({subject, roles, "jti-" + subject, kIssuer, now, now + std::chrono::minutes(5)});
}

std::string ServiceHarness::Bearer(auth::RoleSet roles) const {
  return "Authorization: Bearer " + Token(roles);
}

std::string ServiceHarness::Bearer(const std::string& subject, auth::RoleSet roles) const {
  return "Authorization: Bearer " + Token(subject, roles);
}

std::vector<OutboxEvent> ServiceHarness::OutboxEvents(const std::string& type) const {
  const std::string rows =
      Sql("SELECT coalesce(json_agg(json_build_object('event_id', event_id, 'type', type, 'body', body) "
          "ORDER BY id), '[]')::text FROM outbox");
  std::vector<OutboxEvent> events;
  for (const auto& row : nlohmann::json::parse(rows)) {
    if (!type.empty() && row["type"] != type) continue;
    events.push_back({row["event_id"].get<std::string>(), row["type"].get<std::string>(),
                      nlohmann::json::parse(row["body"].get<std::string>())});
  }
  return events;
}

std::string ServiceHarness::Sql(const std::string& query) const {
  return QueryValueSync(DatabaseUrl(), query);
}

void ServiceHarness::Exec(const std::string& statement) const { ExecSync(DatabaseUrl(), statement); }

const std::string& ServiceHarness::DatabaseUrl() const { return state_->database.url(); }

}  // namespace microstore::testing
