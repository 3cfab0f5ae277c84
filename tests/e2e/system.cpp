#include "system.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <stdexcept>
#include <thread>
#include <variant>

#include "platform/auth/jwt.hpp"
#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"
#include "platform/testing/amqp.hpp"

namespace microstore::e2e {

using namespace std::chrono_literals;

std::string Unique() { return core::NewUuid().substr(0, 12); }

std::string Reply::Header(std::string_view name) const {
  testing::SimpleResponse view{status, text, headers};
  return view.Header(name);
}

std::string Reply::Describe() const { return "HTTP " + std::to_string(status) + " " + text.substr(0, 2000); }

System& System::Shared() {
  static System system;
  return system;
}

System::System() : admin_password_("Secret-" + core::NewUuid() + "-9") {
  const std::string public_keys = keys_.key_id + ":" + keys_.public_key;
  const std::map<std::string, std::string> common = {
      {"MICROSTORE_AMQP_URL", vhost_.url()},
      {"MICROSTORE_JWT_PUBLIC_KEYS", public_keys},
      {"MICROSTORE_LOG_LEVEL", "warn"},
      {"MICROSTORE_SHUTDOWN_GRACE", "2s"},
  };
  auto with = [&common](std::map<std::string, std::string> own) {
    own.insert(common.begin(), common.end());
    return own;
  };
  Start("identity", MICROSTORE_IDENTITY_BINARY, identity_port_,
        with({{"MICROSTORE_DB_URL", identity_db_.url()},
              {"MICROSTORE_JWT_SIGNING_KEY", keys_.key_id + ":" + keys_.seed},
              {"MICROSTORE_IDENTITY_ADMIN_EMAIL", admin_email_},
              {"MICROSTORE_IDENTITY_ADMIN_PASSWORD", admin_password_},
              // The cheapest argon2id cost libsodium accepts: the tests sign in hundreds of times.
              {"MICROSTORE_IDENTITY_PASSWORD_OPSLIMIT", "1"},
              {"MICROSTORE_IDENTITY_PASSWORD_MEMLIMIT", "8192"}}));
  Start("catalog", MICROSTORE_CATALOG_BINARY, catalog_port_, with({{"MICROSTORE_DB_URL", catalog_db_.url()}}));
  Start("stock", MICROSTORE_STOCK_BINARY, stock_port_, with({{"MICROSTORE_DB_URL", stock_db_.url()}}));
  Start("payment", MICROSTORE_PAYMENT_BINARY, payment_port_, with({{"MICROSTORE_DB_URL", payment_db_.url()}}));
  // Two replicas on one database: the one-unpaid-order rule must hold across them (R14).
  Start("order-1", MICROSTORE_ORDER_BINARY, order_ports_[0], with({{"MICROSTORE_DB_URL", order_db_.url()}}));
  Start("order-2", MICROSTORE_ORDER_BINARY, order_ports_[1], with({{"MICROSTORE_DB_URL", order_db_.url()}}));
  Start("gateway", MICROSTORE_GATEWAY_BINARY, gateway_port_, GatewayEnvironment());
}

System::~System() = default;

std::map<std::string, std::string> System::GatewayEnvironment() const {
  return {{"MICROSTORE_DB_URL", gateway_db_.url()},
          {"MICROSTORE_AMQP_URL", vhost_.url()},
          {"MICROSTORE_JWT_PUBLIC_KEYS", keys_.key_id + ":" + keys_.public_key},
          {"MICROSTORE_LOG_LEVEL", "warn"},
          {"MICROSTORE_SHUTDOWN_GRACE", "2s"},
          {"MICROSTORE_GATEWAY_AREAS", "identity,catalog,stock,payment,order"},
          {"MICROSTORE_IDENTITY_URL", "http://127.0.0.1:" + std::to_string(identity_port_)},
          {"MICROSTORE_CATALOG_URL", "http://127.0.0.1:" + std::to_string(catalog_port_)},
          {"MICROSTORE_STOCK_URL", "http://127.0.0.1:" + std::to_string(stock_port_)},
          {"MICROSTORE_PAYMENT_URL", "http://127.0.0.1:" + std::to_string(payment_port_)},
          {"MICROSTORE_ORDER_URL", "http://127.0.0.1:" + std::to_string(order_ports_[0]) + ",http://127.0.0.1:" +
                                       std::to_string(order_ports_[1])},
          // Fast enough that a restarted replica is back in rotation within a test's patience.
          {"MICROSTORE_GATEWAY_HEALTH_INTERVAL", "200ms"},
          {"MICROSTORE_GATEWAY_RATE_LIMIT", "0"},
          {"MICROSTORE_GATEWAY_CORS_ORIGINS", kStorefrontOrigin}};
}

void System::Start(const std::string& name, const std::string& binary, unsigned short port,
                   std::map<std::string, std::string> environment) {
  environment["MICROSTORE_HTTP_PORT"] = std::to_string(port);
  environment["MICROSTORE_SERVICE_NAME"] = name;
  Process process{name, binary, port, std::move(environment), nullptr};
  Launch(process);
  processes_.push_back(std::move(process));
}

void System::Launch(Process& process) {
  process.child = std::make_unique<testing::ChildProcess>(process.binary, std::vector<std::string>{},
                                                          process.environment);
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!testing::WaitForHttpStatus(process.port, "/health/ready", 200, 200ms)) {
    if (!process.child->Running() || std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error(process.name + " did not become ready:\n" + process.child->Output());
    }
  }
}

System::Process& System::Find(const std::string& name) {
  for (auto& process : processes_) {
    if (process.name == name) return process;
  }
  throw std::invalid_argument("no process " + name);
}

void System::Stop(const std::string& name) {
  Process& process = Find(name);
  process.child->Signal(SIGTERM);
  if (!process.child->Wait(30s)) throw std::runtime_error(name + " did not stop");
}

void System::Restart(const std::string& name) { Launch(Find(name)); }

unsigned short System::PortOf(const std::string& name) const {
  for (const auto& process : processes_) {
    if (process.name == name) return process.port;
  }
  throw std::invalid_argument("no process " + name);
}

unsigned short System::StartGateway(const std::map<std::string, std::string>& environment) {
  auto merged = GatewayEnvironment();
  for (const auto& [key, value] : environment) merged[key] = value;
  const unsigned short port = testing::FreePort();
  Start("gateway-" + std::to_string(processes_.size()), MICROSTORE_GATEWAY_BINARY, port, merged);
  return port;
}

Reply System::Send(const Call& call) const {
  std::string headers;
  if (!call.token.empty()) headers += "Authorization: Bearer " + call.token + "\r\n";
  for (const auto& [name, value] : call.headers) headers += name + ": " + value + "\r\n";
  const std::string body = call.raw_body ? *call.raw_body : call.body ? call.body->dump() : "";
  const auto response = testing::HttpRequest(gateway_port_, call.method, call.path, body, headers);
  Reply reply{response.status, response.body, nlohmann::json(), response.headers};
  reply.body = nlohmann::json::parse(response.body, nullptr, false);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

Reply System::Get(const std::string& path, const std::string& token) const {
  return Send({.method = "GET", .path = path, .token = token});
}

Reply System::Post(const std::string& path, const nlohmann::json& body, const std::string& token) const {
  return Send({.method = "POST", .path = path, .body = body, .token = token});
}

System::Customer System::RegisterCustomer(const std::string& name_hint) const {
  Customer customer{"", name_hint + "-" + Unique() + "@example.com", "Secret-" + Unique() + "-9"};
  const Reply reply = Post("/api/v1/identity/register", {{"email", customer.email},
                                                          {"password", customer.password},
                                                          {"first_name", "Anna"},
                                                          {"last_name", "Petrova"},
                                                          {"phone", "+79991234567"},
                                                          {"channels", {"EMAIL", "SMS"}}});
  if (reply.status != 201) throw std::runtime_error("registering a customer: " + reply.Describe());
  customer.id = reply.body.at("id").get<std::string>();
  return customer;
}

TokenPair System::SignIn(const std::string& email, const std::string& password) const {
  const Reply reply = Post("/api/v1/identity/token", {{"email", email}, {"password", password}});
  if (reply.status != 200) throw std::runtime_error("signing in " + email + ": " + reply.Describe());
  return {reply.body.at("access_token").get<std::string>(), reply.body.at("refresh_token").get<std::string>()};
}

TokenPair System::SignInAdmin() const { return SignIn(admin_email_, admin_password_); }

std::string System::SignToken(const std::string& subject, const std::vector<std::string>& roles,
                              std::chrono::system_clock::time_point expires_at) const {
  auto signer = auth::Signer::FromConfig(keys_.key_id + ":" + keys_.seed);
  auth::Claims claims;
  claims.subject = subject;
  for (const auto& role : roles) claims.roles.Add(auth::ParseRole(role).value());
  claims.token_id = core::NewUuid();
  claims.issuer = "microstore-identity";
  claims.issued_at = std::min(std::chrono::system_clock::now(), expires_at - 1h);
  claims.expires_at = expires_at;
  return std::get<auth::Signer>(signer).Sign(claims);
}

namespace {

testing::SimpleResponse Manage(const std::string& method, const std::string& path, const nlohmann::json& body) {
  return testing::ManagementRequest(method, path, body.is_null() ? "" : body.dump());
}

}  // namespace

EventTap::EventTap(const System& system, const std::vector<std::string>& producers)
    : system_(system), queue_("e2e.tap." + Unique()) {
  const std::string vhost = system.vhost();
  auto created = Manage("PUT", "queues/" + vhost + "/" + queue_, nlohmann::json::object());
  if (created.status >= 300) throw std::runtime_error("declaring " + queue_ + ": " + created.body);
  for (const auto& producer : producers) {
    const std::string exchange = "microstore." + producer;
    // A producer's exchange exists once its publisher connected: the system is ready, so soon.
    bool bound = false;
    for (int attempt = 0; attempt < 100 && !bound; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(100ms);
      bound = Manage("POST", "bindings/" + vhost + "/e/" + exchange + "/q/" + queue_, {{"routing_key", "#"}}).status < 300;
    }
    if (!bound) throw std::runtime_error("binding " + queue_ + " to " + exchange);
  }
}

EventTap::~EventTap() { Manage("DELETE", "queues/" + system_.vhost() + "/" + queue_, nullptr); }

std::vector<nlohmann::json> EventTap::Take() {
  const auto got = Manage("POST", "queues/" + system_.vhost() + "/" + queue_ + "/get",
                          {{"count", 10000}, {"ackmode", "ack_requeue_false"}, {"encoding", "auto"}});
  if (got.status != 200) throw std::runtime_error("reading " + queue_ + ": " + got.body);
  std::vector<nlohmann::json> events;
  for (const auto& message : nlohmann::json::parse(got.body)) {
    events.push_back(nlohmann::json::parse(message.at("payload").get<std::string>()));
  }
  return events;
}

const std::vector<nlohmann::json>& EventTap::CollectUntil(
    const std::function<bool(const std::vector<nlohmann::json>&)>& done, std::chrono::milliseconds timeout) {
  testing::Eventually(
      [&] {
        for (auto& event : Take()) seen_.push_back(std::move(event));
        return done(seen_);
      },
      timeout);
  return seen_;
}

void PublishEvent(const System& system, const nlohmann::json& envelope) {
  const std::string exchange = "microstore." + envelope.at("producer").get<std::string>();
  const auto published =
      Manage("POST", "exchanges/" + system.vhost() + "/" + exchange + "/publish",
             {{"routing_key", envelope.at("type")},
              {"payload", envelope.dump()},
              {"payload_encoding", "string"},
              {"properties",
               {{"message_id", envelope.at("id")},
                {"type", envelope.at("type")},
                {"correlation_id", envelope.value("correlation_id", "")},
                {"content_type", "application/json"},
                {"delivery_mode", 2}}}});
  if (published.status != 200 || published.body.find("\"routed\":true") == std::string::npos) {
    throw std::runtime_error("publishing to " + exchange + ": " + published.body);
  }
}

}  // namespace microstore::e2e
