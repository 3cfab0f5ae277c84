#include "harness.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdio>
#include <thread>

#include "api/routes.hpp"
#include "auth/jwt.hpp"
#include "core/ids.hpp"
#include "domain/common.hpp"
#include "http/server.hpp"
#include "infra/event_handlers.hpp"
#include "infra/migrations.hpp"
#include "messaging/inbox.hpp"
#include "messaging/migrations.hpp"
#include "migrations/migration.hpp"
#include "pg/pool.hpp"
#include "testing/inbox.hpp"
#include "testing/testing.hpp"

namespace microstore::stock::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
constexpr const char* kIssuer = "microstore-identity";

asio::awaitable<void> Migrate(std::string url) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 1});
  co_await migrations::Apply(pool, messaging::Migrations(), messaging::kMigrationsComponent);
  co_await migrations::Apply(pool, Migrations());
}

asio::awaitable<void> HandleOne(messaging::Inbox* inbox, amqp::Delivery delivery,
                                amqp::Outcome::Kind* outcome) {
  const amqp::Outcome result = co_await inbox->Handle(std::move(delivery));
  *outcome = result.kind;
}

messaging::Envelope Event(std::string type, messaging::AggregateRef aggregate, nlohmann::json payload,
                          std::string producer) {
  const std::string id = core::NewUuid();
  return messaging::MakeEvent(std::move(type), 1, std::move(aggregate), std::move(payload),
                              {"corr-" + id, "", ""}, producer, producer + "-node", id,
                              std::chrono::system_clock::now());
}

}  // namespace

struct StockHarness::State {
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

StockHarness::StockHarness() : state_(std::make_unique<State>()) {
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

StockHarness::~StockHarness() {
  State& s = *state_;
  asio::post(s.io, [&s] { s.server->Shutdown([&s] { s.io.stop(); }); });
  s.thread.join();
  s.server.reset();
  s.pool.reset();
}

Reply StockHarness::Send(const std::string& method, const std::string& target, const std::string& body,
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
  reply.body = nlohmann::json::parse(reply.text, nullptr, false);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

Reply StockHarness::Get(const std::string& target, std::vector<std::string> headers) {
  return Send("GET", target, "", headers);
}

Reply StockHarness::Post(const std::string& target, const nlohmann::json& body, auth::RoleSet roles,
                         std::vector<std::string> headers) {
  headers.push_back(Bearer(roles));
  headers.push_back("Content-Type: application/json");
  return Send("POST", target, body.dump(), headers);
}

std::string StockHarness::Bearer(auth::RoleSet roles) const {
  const auto now = std::chrono::system_clock::now();
  return "Authorization: Bearer " +
         state_->signer.Sign({"operator-1", roles, "jti-1", kIssuer, now, now + std::chrono::minutes(5)});
}

std::vector<amqp::Outcome::Kind> StockHarness::Deliver(const std::vector<messaging::Envelope>& events) {
  return microstore::testing::DeliverThroughInbox(DatabaseUrl(), kProducer, EventSubscriptions(kNodeId),
                                                  events);
}

std::vector<amqp::Outcome::Kind> StockHarness::DeliverConcurrently(
    const std::vector<messaging::Envelope>& events, std::size_t connections) {
  asio::io_context io;
  pg::Pool pool(
      io.get_executor(),
      {.conninfo = DatabaseUrl(), .max_size = connections, .acquire_timeout = std::chrono::minutes(2)});
  messaging::Inbox inbox(pool, kProducer, {});
  for (auto& subscription : EventSubscriptions(kNodeId)) inbox.On(subscription.type, subscription.handler);
  std::vector<amqp::Outcome::Kind> outcomes(events.size(), amqp::Outcome::Kind::kRetry);
  for (std::size_t i = 0; i < events.size(); ++i) {
    asio::co_spawn(io, HandleOne(&inbox, microstore::testing::DeliveryOf(events[i]), &outcomes[i]),
                   [](const std::exception_ptr& error) {
                     if (error) std::rethrow_exception(error);
                   });
  }
  io.run();
  return outcomes;
}

void StockHarness::AddProduct(const std::string& product_id, std::int64_t free) {
  ASSERT_EQ(Outcomes(Deliver({ProductCreatedEvent(product_id)})), "ack");
  if (free == 0) return;
  const Reply reply = Post("/api/v1/items/" + product_id + "/restock",
                           {{"quantity", free}, {"reason", "initial"}}, {auth::Role::kStockOperator});
  ASSERT_EQ(reply.status, 200) << reply.text;
}

std::vector<StoredEvent> StockHarness::OutboxEvents(const std::string& type) const {
  const std::string rows =
      Sql("SELECT coalesce(json_agg(json_build_object('type', type, 'body', body) ORDER BY id), '[]')::text "
          "FROM outbox");
  std::vector<StoredEvent> events;
  for (const auto& row : nlohmann::json::parse(rows)) {
    if (!type.empty() && row["type"] != type) continue;
    events.push_back({row["type"].get<std::string>(), nlohmann::json::parse(row["body"].get<std::string>())});
  }
  return events;
}

std::string StockHarness::Sql(const std::string& query) const {
  return microstore::testing::QueryValueSync(state_->database.url(), query);
}

const std::string& StockHarness::DatabaseUrl() const { return state_->database.url(); }

messaging::Envelope ProductCreatedEvent(const std::string& product_id) {
  return Event("ProductCreated", {"product", product_id, 1, "ACTIVE"},
               {{"product_id", product_id},
                {"sku", "SKU-" + product_id.substr(30)},
                {"name", "Product " + product_id.substr(30)},
                {"description", ""},
                {"photo_url", nullptr},
                {"price_minor", 10000},
                {"currency", "RUB"},
                {"weight_grams", 0},
                {"dimensions_mm", {{"length", 0}, {"width", 0}, {"height", 0}}},
                {"tags", nlohmann::json::array()},
                {"on_promotion", false},
                {"archived", false},
                {"version", 1},
                {"created_at", "2026-11-23T10:00:00.000Z"},
                {"updated_at", "2026-11-23T10:00:00.000Z"}},
               "catalog");
}

messaging::Envelope OrderCreatedEvent(const std::string& order_id, const std::vector<OrderLine>& lines,
                                      const std::string& customer_id) {
  nlohmann::json items = nlohmann::json::array();
  std::int64_t total = 0;
  for (const auto& line : lines) {
    items.push_back({{"product_id", line.product_id},
                     {"sku", "SKU-" + line.product_id.substr(30)},
                     {"name", "Product"},
                     {"quantity", line.quantity},
                     {"unit_price_minor", 10000},
                     {"line_total_minor", 10000 * line.quantity}});
    total += 10000 * line.quantity;
  }
  return Event("OrderCreated", {"order", order_id, 1, "PENDING"},
               {{"order_id", order_id},
                {"customer_id", customer_id},
                {"items", items},
                {"total_minor", total},
                {"currency", "RUB"},
                {"created_at", "2026-11-23T10:00:00.000Z"}},
               "order");
}

messaging::Envelope OrderCancelledEvent(const std::string& order_id, const std::string& customer_id) {
  return Event("OrderCancelled", {"order", order_id, 3, "CANCELLED"},
               {{"order_id", order_id},
                {"customer_id", customer_id},
                {"reason", "customer_cancelled"},
                {"previous_status", "RESERVED"},
                {"version", 3},
                {"items", nlohmann::json::array()},
                {"total_minor", 0},
                {"currency", "RUB"},
                {"cancelled_at", "2026-11-23T10:00:00.000Z"}},
               "order");
}

messaging::Envelope PaymentFailedEvent(const std::string& order_id, const std::string& customer_id) {
  return Event("PaymentFailed", {"payment", order_id, 1, "FAILED"},
               {{"order_id", order_id},
                {"customer_id", customer_id},
                {"payment_id", core::NewUuid()},
                {"amount_minor", 10000},
                {"currency", "RUB"},
                {"order_version", 2},
                {"reason", "insufficient_funds"}},
               "payment");
}

namespace {

const char* NameOf(amqp::Outcome::Kind kind) {
  switch (kind) {
    case amqp::Outcome::Kind::kAck:
      return "ack";
    case amqp::Outcome::Kind::kRetry:
      return "retry";
    case amqp::Outcome::Kind::kDeadLetter:
      return "dead_letter";
  }
  return "?";
}

}  // namespace

std::string Outcomes(const std::vector<amqp::Outcome::Kind>& outcomes) {
  std::string text;
  for (const auto kind : outcomes) text += (text.empty() ? "" : " ") + std::string(NameOf(kind));
  return text;
}

std::string Tally(const std::vector<amqp::Outcome::Kind>& outcomes) {
  std::string text;
  for (const auto kind :
       {amqp::Outcome::Kind::kAck, amqp::Outcome::Kind::kRetry, amqp::Outcome::Kind::kDeadLetter}) {
    const auto n = std::count(outcomes.begin(), outcomes.end(), kind);
    if (n > 0) text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + NameOf(kind);
  }
  return text;
}

std::string Id(char prefix, int n) {
  char suffix[13];
  std::snprintf(suffix, sizeof suffix, "%012d", n);
  return std::string(8, prefix) + "-0000-4000-8000-" + suffix;
}

}  // namespace microstore::stock::testing
