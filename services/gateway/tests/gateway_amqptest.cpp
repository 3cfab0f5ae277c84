// The real gateway binary in front of upstream HTTP servers started here (the platform's
// http::Server on free ports), with its own temporary database and a virtual host of its own on
// the test RabbitMQ, where the tests publish identity's events.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <list>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "platform/amqp/consumer.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/core/ids.hpp"
#include "platform/core/text.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/server.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/testing/amqp.hpp"
#include "platform/testing/process.hpp"
#include "platform/testing/service_process.hpp"
#include "platform/testing/testing.hpp"

namespace microstore::gateway {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using testing::SimpleResponse;
using testing::Eventually;

// One upstream instance: echoes what reached it, and can be made slow, failing or stopped.
struct Instance {
  std::string name;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::uint16_t port = 0;
  std::atomic<int> hits{0};          // requests under /api/v1
  std::atomic<bool> failing{false};  // /api/v1/flaky answers 503
};

asio::awaitable<http::Response> Echo(Instance* instance, http::Request& request) {
  ++instance->hits;
  const std::string_view rest = request.Param("rest");
  if (rest == "slow") {
    asio::steady_timer timer(co_await asio::this_coro::executor, 3s);
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (rest == "flaky" && instance->failing) {
    co_return http::Problem(503, "not-now", instance->name + " is failing", &request);
  }
  if (rest == "conflict") {
    http::Response response = http::Problem(409, "conflict", "already there", &request);
    response.headers.Add("Location", "/api/v1/things/1");
    response.headers.Add("Set-Cookie", "a=1");
    response.headers.Add("Set-Cookie", "b=2");
    co_return response;
  }
  json headers = json::object();
  for (const auto& [name, value] : request.headers.entries()) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    headers[lower] = value;
  }
  co_return http::Response::Json(200, {{"instance", instance->name},
                                       {"method", std::string(http::ToString(request.method))},
                                       {"target", request.target},
                                       {"headers", headers},
                                       {"body", request.body}});
}

// Upstream servers on a thread of their own.
class Upstreams {
 public:
  Upstreams() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~Upstreams() {
    for (auto& instance : instances_) {
      if (instance.server) OnLoop([&] { instance.server->Shutdown(); });
    }
    work_.reset();
    io_.stop();
    thread_.join();
  }

  Instance& Start(const std::string& name, std::chrono::milliseconds idle_timeout = 60s) {
    Instance& instance = instances_.emplace_back();
    instance.name = name;
    Instance* self = &instance;
    for (auto method : {http::Method::kGet, http::Method::kPost, http::Method::kPut, http::Method::kPatch,
                        http::Method::kDelete}) {
      instance.router.Add(method, "/api/v1/{rest...}", auth::Access::Public(),
                          [self](http::Request& request) { return Echo(self, request); });
    }
    instance.router.Get("/health/ready", auth::Access::Public(),
                        [](http::Request&) -> asio::awaitable<http::Response> {
                          co_return http::Response::Json(200, {{"status", "ready"}});
                        });
    OnLoop([&] {
      http::ServerOptions options;
      options.idle_timeout = idle_timeout;
      options.service = name;
      instance.server = std::make_unique<http::Server>(io_.get_executor(), options, instance.router, nullptr);
      instance.port = instance.server->Start();
    });
    return instance;
  }

  // Stops accepting: new connections to the instance are refused.
  void Stop(Instance& instance) {
    OnLoop([&] { instance.server->Shutdown(); });
  }

 private:
  template <typename F>
  void OnLoop(F work) {
    std::promise<void> done;
    asio::post(io_, [&] {
      work();
      done.set_value();
    });
    done.get_future().wait();
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::list<Instance> instances_;
  std::thread thread_;
};

std::string Url(const Instance& instance) { return "http://127.0.0.1:" + std::to_string(instance.port); }

json Body(const SimpleResponse& response) {
  try {
    return json::parse(response.body);
  } catch (const json::exception&) {
    return json();
  }
}

std::string ProblemType(const SimpleResponse& response) { return Body(response).value("type", ""); }

class GatewayTest : public testing::ServiceProcessTest {
 protected:
  ~GatewayTest() override { gateway_.reset(); }

  // Starts the gateway with the common settings plus `settings` and waits until it is ready.
  void StartGateway(std::map<std::string, std::string> settings = {}) {
    gateway_ = StartReplica(port_, std::move(settings));
  }

  // Starts a gateway process on `port` with the test's database and broker.
  std::unique_ptr<testing::ChildProcess> StartReplica(unsigned short port,
                                                      std::map<std::string, std::string> settings) {
    auto environment = Environment();
    environment["MICROSTORE_HTTP_PORT"] = std::to_string(port);
    environment["MICROSTORE_LOG_LEVEL"] = "warn";
    environment.insert({
        {"MICROSTORE_GATEWAY_HEALTH_INTERVAL", "200ms"},
        {"MICROSTORE_GATEWAY_CONNECT_TIMEOUT", "500ms"},
        {"MICROSTORE_GATEWAY_UPSTREAM_TIMEOUT", "1s"},
        {"MICROSTORE_GATEWAY_RATE_LIMIT", "0"},
        {"MICROSTORE_GATEWAY_CORS_ORIGINS", "https://shop.example"},
    });
    for (auto& [name, value] : settings) environment[name] = value;
    auto process = std::make_unique<testing::ChildProcess>(MICROSTORE_GATEWAY_BINARY,
                                                           std::vector<std::string>{}, environment);
    EXPECT_TRUE(testing::BecomesReady(*process, port));
    return process;
  }

  void StopGateway() {
    EXPECT_TRUE(testing::StopsCleanly(*gateway_));
    gateway_.reset();
  }

  std::string Token(const std::string& subject, const std::string& token_id,
                    auth::Clock::time_point expires_at = auth::Clock::now() + 15min) const {
    auth::Claims claims;
    claims.subject = subject;
    claims.roles = {auth::Role::kCustomer};
    claims.token_id = token_id;
    claims.issuer = "microstore-identity";
    claims.issued_at = auth::Clock::now();
    claims.expires_at = expires_at;
    return signer_.Sign(claims);
  }
  static std::string Bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

  // The sum of the samples of a metric family on /metrics whose labels contain `label`.
  double Metric(const std::string& family, const std::string& label) {
    std::istringstream lines(Get("/metrics").body);
    std::string line;
    double sum = 0;
    while (std::getline(lines, line)) {
      if (!line.starts_with(family + "{") && !line.starts_with(family + " ")) continue;
      if (line.find(label) == std::string::npos) continue;
      sum += std::stod(line.substr(line.rfind(' ') + 1));
    }
    return sum;
  }

  // Waits until the gateway's consumer has declared its queues (and so its bindings) on the broker.
  void WaitForConsumer() {
    const auto give_up = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < give_up) {
      try {
        amqp::QueueAdmin admin(vhost_.url());
        admin.MessageCount(amqp::DeadLetterQueueOf("gateway"));
        return;
      } catch (const std::exception&) {
        std::this_thread::sleep_for(50ms);
      }
    }
    FAIL() << "the gateway's consumer never declared its queues";
  }

  // Publishes one of identity's events as identity's relay would; returns its id.
  std::string Publish(const std::string& type, messaging::AggregateRef aggregate, json payload) {
    const auto event =
        messaging::MakeEvent(type, 1, std::move(aggregate), std::move(payload), {}, "identity",
                             "identity-test", core::NewUuid(), std::chrono::system_clock::now());
    ServiceProcessTest::Publish(event);
    return event.id;
  }

  Upstreams upstreams_;
  std::unique_ptr<testing::ChildProcess> gateway_;
};

TEST_F(GatewayTest, RoundRobinOverTwoInstances) {
  auto& a = upstreams_.Start("a");
  auto& b = upstreams_.Start("b");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"}, {"MICROSTORE_CATALOG_URL", Url(a) + "," + Url(b)}});
  std::map<std::string, int> served;
  for (int i = 0; i < 6; ++i) {
    const auto response = Get("/api/v1/catalog/products/42?q=red%20shoe&limit=5");
    ASSERT_EQ(response.status, 200) << response.body;
    const json body = Body(response);
    EXPECT_EQ(body["target"], "/api/v1/products/42?q=red%20shoe&limit=5");
    EXPECT_EQ(body["method"], "GET");
    ++served[body["instance"].get<std::string>()];
  }
  EXPECT_EQ(served["a"], 3);
  EXPECT_EQ(served["b"], 3);
  EXPECT_EQ(Metric("gateway_upstream_requests_total", "outcome=\"ok\""), 6);
}

TEST_F(GatewayTest, BodiesMethodsAndUpstreamAnswersPassThrough) {
  auto& a = upstreams_.Start("a");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "orders"}, {"MICROSTORE_ORDERS_URL", Url(a)}});
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    const auto response = Send(method, "/api/v1/orders/orders/7", R"({"n":1})");
    ASSERT_EQ(response.status, 200) << method << " " << response.body;
    const json body = Body(response);
    EXPECT_EQ(body["method"], method);
    EXPECT_EQ(body["body"], R"({"n":1})");
    EXPECT_EQ(body["headers"]["content-type"], "application/json");
  }
  const auto head = Send("HEAD", "/api/v1/orders/orders/7");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.Header("Content-Type"), "application/json");

  const auto conflict = Send("POST", "/api/v1/orders/conflict", "{}");
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(conflict.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(ProblemType(conflict), "/problems/conflict");
  EXPECT_EQ(conflict.Header("Location"), "/api/v1/things/1");
  int cookies = 0;
  for (const auto& [name, value] : conflict.headers) cookies += name == "Set-Cookie";
  EXPECT_EQ(cookies, 2);
}

TEST_F(GatewayTest, RequestIdsAndForwardedHeadersReachTheUpstreamAndComeBack) {
  auto& a = upstreams_.Start("a");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"}, {"MICROSTORE_CATALOG_URL", Url(a)}});
  const auto response =
      Get("/api/v1/catalog/echo",
          "X-Request-Id: client-req-1\r\nX-Correlation-Id: flow-9\r\nX-Forwarded-For: 203.0.113.5\r\n"
          "Connection: close, X-Hop-Secret\r\nX-Hop-Secret: s3\r\nX-Kept: yes\r\n");
  ASSERT_EQ(response.status, 200) << response.body;
  const json seen = Body(response)["headers"];
  EXPECT_EQ(seen["x-request-id"], "client-req-1");
  EXPECT_EQ(seen["x-correlation-id"], "flow-9");
  EXPECT_EQ(seen["x-forwarded-for"], "203.0.113.5, 127.0.0.1");
  EXPECT_EQ(seen["x-forwarded-proto"], "http");
  EXPECT_EQ(seen["x-kept"], "yes");
  EXPECT_FALSE(seen.contains("x-hop-secret"));
  EXPECT_EQ(response.Header("X-Request-Id"), "client-req-1");
  EXPECT_EQ(response.Header("X-Correlation-Id"), "flow-9");

  // Without ids of its own, the client gets the gateway's, the same the upstream saw.
  const auto fresh = Get("/api/v1/catalog/echo");
  const json fresh_seen = Body(fresh)["headers"];
  EXPECT_FALSE(fresh.Header("X-Request-Id").empty());
  EXPECT_EQ(fresh_seen["x-request-id"], fresh.Header("X-Request-Id"));
  EXPECT_EQ(fresh_seen["x-correlation-id"], fresh.Header("X-Correlation-Id"));
  EXPECT_EQ(fresh_seen["x-forwarded-for"], "127.0.0.1");
}

TEST_F(GatewayTest, AStoppedInstanceIsSkipped) {
  auto& a = upstreams_.Start("a");
  auto& b = upstreams_.Start("b");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"}, {"MICROSTORE_CATALOG_URL", Url(a) + "," + Url(b)}});
  upstreams_.Stop(b);
  const std::string b_label = "instance=\"127.0.0.1:" + std::to_string(b.port) + "\"";
  ASSERT_TRUE(Eventually([&] { return Metric("gateway_upstream_healthy", b_label) == 0; }));
  EXPECT_EQ(Metric("gateway_upstream_healthy", "instance=\"127.0.0.1:" + std::to_string(a.port) + "\""), 1);
  for (const char* method : {"GET", "POST", "GET", "POST"}) {
    const auto response = Send(method, "/api/v1/catalog/products");
    ASSERT_EQ(response.status, 200) << method << " " << response.body;
    EXPECT_EQ(Body(response)["instance"], "a");
  }
  EXPECT_EQ(a.hits, 4);
}

TEST_F(GatewayTest, NoHealthyInstanceIs503WithRetryAfter) {
  auto& a = upstreams_.Start("a");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog,stock"},
                {"MICROSTORE_CATALOG_URL", Url(a)},
                {"MICROSTORE_STOCK_URL", "http://127.0.0.1:" + std::to_string(testing::FreePort())}});
  ASSERT_TRUE(Eventually([&] { return Metric("gateway_upstream_healthy", "area=\"stock\"") == 0; }));
  const auto response = Get("/api/v1/stock/levels");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(ProblemType(response), "/problems/upstream-unavailable");
  EXPECT_EQ(response.Header("Retry-After"), "1");
  // The other area is served all the same, and the gateway stays ready.
  EXPECT_EQ(Get("/api/v1/catalog/products").status, 200);
  EXPECT_EQ(Get("/health/ready").status, 200);
}

TEST_F(GatewayTest, GetIsRetriedOnAnotherInstancePostIsNot) {
  auto& a = upstreams_.Start("a");
  auto& b = upstreams_.Start("b");
  a.failing = true;
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"}, {"MICROSTORE_CATALOG_URL", Url(a) + "," + Url(b)}});
  for (int i = 0; i < 2; ++i) {
    const auto response = Get("/api/v1/catalog/flaky");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(Body(response)["instance"], "b");
  }
  EXPECT_EQ(a.hits, 2);  // each GET went to a first (round robin), got 503, and moved on to b
  EXPECT_EQ(b.hits, 2);

  std::map<int, int> statuses;
  for (int i = 0; i < 2; ++i) ++statuses[Send("POST", "/api/v1/catalog/flaky", "{}").status];
  EXPECT_EQ(statuses[503], 1);  // the POST that reached a got a's answer: not retried on b
  EXPECT_EQ(statuses[200], 1);
  EXPECT_EQ(a.hits, 3);
  EXPECT_EQ(b.hits, 3);
}

TEST_F(GatewayTest, AConnectionFailureIsRetriedForGetOnlyAndMarksTheInstance) {
  auto& a = upstreams_.Start("a");
  auto& b = upstreams_.Start("b");
  auto& c = upstreams_.Start("c");
  auto& d = upstreams_.Start("d");
  // No health check after the first one: only requests can find out that an instance is gone.
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "reads,writes"},
                {"MICROSTORE_READS_URL", Url(a) + "," + Url(b)},
                {"MICROSTORE_WRITES_URL", Url(c) + "," + Url(d)},
                {"MICROSTORE_GATEWAY_HEALTH_INTERVAL", "1h"}});
  upstreams_.Stop(a);
  upstreams_.Stop(c);
  for (int i = 0; i < 2; ++i) {
    const auto response = Get("/api/v1/reads/x");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(Body(response)["instance"], "b");
  }
  EXPECT_EQ(Metric("gateway_upstream_requests_total", "outcome=\"failed\""), 1);

  std::map<int, int> statuses;
  for (int i = 0; i < 2; ++i) {
    const auto response = Send("POST", "/api/v1/writes/x", "{}");
    ++statuses[response.status];
    if (response.status == 502) {
      EXPECT_EQ(ProblemType(response), "/problems/upstream-failed");
    }
  }
  EXPECT_EQ(statuses[502], 1);  // the POST sent to the stopped instance was not moved to d
  EXPECT_EQ(statuses[200], 1);
  EXPECT_EQ(d.hits, 1);
  EXPECT_EQ(Metric("gateway_upstream_healthy", "area=\"writes\""), 1);  // c is marked down
}

TEST_F(GatewayTest, WritesSurviveAnUpstreamClosingIdleConnections) {
  auto& a = upstreams_.Start("a", 300ms);
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "orders"}, {"MICROSTORE_ORDERS_URL", Url(a)}});
  for (const char* method : {"GET", "POST", "GET", "PUT", "DELETE"}) {
    std::this_thread::sleep_for(500ms);  // the upstream has closed every idle connection by now
    const auto response = Send(method, "/api/v1/orders/orders", "{}");
    EXPECT_EQ(response.status, 200) << method << " " << response.body;
  }
  EXPECT_EQ(a.hits, 5);
}

TEST_F(GatewayTest, ASlowUpstreamIs504) {
  auto& a = upstreams_.Start("a");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"}, {"MICROSTORE_CATALOG_URL", Url(a)}});
  const auto started = std::chrono::steady_clock::now();
  const auto response = Get("/api/v1/catalog/slow");
  EXPECT_EQ(response.status, 504);
  EXPECT_EQ(ProblemType(response), "/problems/upstream-timeout");
  EXPECT_EQ(response.Header("Content-Type"), "application/problem+json");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2900ms);  // the upstream takes 3 s
  EXPECT_EQ(Metric("gateway_upstream_requests_total", "outcome=\"timeout\""), 1);
  // The next health check finds the instance ready again.
  EXPECT_TRUE(Eventually([&] { return Get("/api/v1/catalog/fast").status == 200; }));
}

TEST_F(GatewayTest, UnknownAreaIs404) {
  auto& a = upstreams_.Start("a");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"}, {"MICROSTORE_CATALOG_URL", Url(a)}});
  const auto response = Get("/api/v1/nope/things");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(ProblemType(response), "/problems/unknown-area");
  EXPECT_EQ(Get("/api/v1/catalog").status, 404);  // no rest: no route, and no single-page app either
  EXPECT_EQ(a.hits, 0);
}

TEST_F(GatewayTest, BadTokensAreRefusedWithoutReachingTheUpstream) {
  auto& a = upstreams_.Start("a");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"}, {"MICROSTORE_CATALOG_URL", Url(a)}});
  const std::string good = Token("user-1", "jti-1");
  std::string tampered = good;
  const auto payload_at = tampered.find('.') + 5;
  tampered[payload_at] = tampered[payload_at] == 'A' ? 'B' : 'A';
  auto other_signer =
      std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + auth::GenerateKeyPair("k1").seed));
  auth::Claims claims{"user-1",           {auth::Role::kCustomer},   "jti-x", "microstore-identity",
                      auth::Clock::now(), auth::Clock::now() + 15min};
  for (const auto& token : {std::string("garbage"), Token("user-1", "jti-2", auth::Clock::now() - 1h),
                            tampered, other_signer.Sign(claims)}) {
    const auto response = Get("/api/v1/catalog/products", Bearer(token));
    EXPECT_EQ(response.status, 401) << token;
    EXPECT_EQ(ProblemType(response), "/problems/invalid-token");
    EXPECT_EQ(response.Header("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
    EXPECT_FALSE(Body(response).value("detail", "").empty());
  }
  EXPECT_EQ(a.hits, 0);

  const auto valid = Get("/api/v1/catalog/products", Bearer(good));
  ASSERT_EQ(valid.status, 200) << valid.body;
  EXPECT_EQ(Body(valid)["headers"]["authorization"], "Bearer " + good);
  const auto anonymous = Get("/api/v1/catalog/products");
  ASSERT_EQ(anonymous.status, 200);
  EXPECT_FALSE(Body(anonymous)["headers"].contains("authorization"));
  EXPECT_EQ(a.hits, 2);
}

TEST_F(GatewayTest, ARevokedTokenIsRefusedAlsoAfterARestart) {
  auto& a = upstreams_.Start("a");
  const std::map<std::string, std::string> settings = {{"MICROSTORE_GATEWAY_AREAS", "catalog"},
                                                       {"MICROSTORE_CATALOG_URL", Url(a)}};
  StartGateway(settings);
  WaitForConsumer();
  const std::string revoked = Token("user-1", "jti-revoked");
  const std::string other = Token("user-1", "jti-other");
  ASSERT_EQ(Get("/api/v1/catalog/products", Bearer(revoked)).status, 200);

  Publish("TokenRevoked", {"token", "jti-revoked", 1, "REVOKED"},
          {{"token_id", "jti-revoked"},
           {"user_id", "user-1"},
           {"expires_at", core::FormatRfc3339Utc(std::chrono::system_clock::now() + 15min)},
           {"reason", "logout"}});
  ASSERT_TRUE(Eventually([&] { return Get("/api/v1/catalog/products", Bearer(revoked)).status == 401; }));
  const auto refused = Get("/api/v1/catalog/products", Bearer(revoked));
  EXPECT_EQ(ProblemType(refused), "/problems/invalid-token");
  EXPECT_EQ(Body(refused)["detail"], "the token has been revoked");
  EXPECT_EQ(Get("/api/v1/catalog/products", Bearer(other)).status, 200);
  EXPECT_EQ(Metric("gateway_revocations", "kind=\"token\""), 1);

  StopGateway();
  StartGateway(settings);  // ready means: revocations loaded
  EXPECT_EQ(Get("/api/v1/catalog/products", Bearer(revoked)).status, 401);
  EXPECT_EQ(Get("/api/v1/catalog/products", Bearer(other)).status, 200);
}

TEST_F(GatewayTest, ItsOwnDeadLettersAreForOperatorsBehindTheSameTokenChecks) {
  auto& a = upstreams_.Start("a");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"}, {"MICROSTORE_CATALOG_URL", Url(a)}});
  WaitForConsumer();
  const std::string dead_letters = "/api/v1/gateway/admin/dead-letters";
  auth::Claims claims{"operator-1",          {auth::Role::kOperator}, "jti-operator",
                      "microstore-identity", auth::Clock::now(),      auth::Clock::now() + 15min};
  const std::string operator_token = signer_.Sign(claims);

  const auto listed = Get(dead_letters, Bearer(operator_token));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(Body(listed)["queue"], "microstore.gateway.dead");
  const auto replayed = Send("POST", dead_letters + "/replay?limit=10", "", Bearer(operator_token));
  ASSERT_EQ(replayed.status, 200) << replayed.body;
  EXPECT_EQ(Body(replayed), (json{{"replayed", 0}, {"remaining", 0}}));
  EXPECT_EQ(Send("POST", dead_letters + "/" + core::NewUuid() + "/replay", "", Bearer(operator_token)).status,
            404);
  EXPECT_EQ(Get(dead_letters, Bearer(Token("user-1", "jti-customer"))).status, 403);
  EXPECT_EQ(Get(dead_letters).status, 401);
  EXPECT_EQ(ProblemType(Get("/api/v1/gateway/other")), "/problems/unknown-area");
  EXPECT_EQ(a.hits, 0);

  Publish("TokenRevoked", {"token", "jti-operator", 1, "REVOKED"},
          {{"token_id", "jti-operator"},
           {"user_id", "operator-1"},
           {"expires_at", core::FormatRfc3339Utc(std::chrono::system_clock::now() + 15min)},
           {"reason", "logout"}});
  ASSERT_TRUE(Eventually([&] { return Get(dead_letters, Bearer(operator_token)).status == 401; }));
  EXPECT_EQ(Body(Get(dead_letters, Bearer(operator_token)))["detail"], "the token has been revoked");
}

TEST_F(GatewayTest, EveryReplicaLearnsEveryRevocation) {
  auto& a = upstreams_.Start("a");
  const std::map<std::string, std::string> settings = {{"MICROSTORE_GATEWAY_AREAS", "catalog"},
                                                       {"MICROSTORE_CATALOG_URL", Url(a)}};
  StartGateway(settings);
  const unsigned short second_port = testing::FreePort();
  auto second = StartReplica(second_port, settings);
  WaitForConsumer();
  // The replicas share one queue: each event is handled by one of them, and both must learn it.
  std::vector<std::string> tokens;
  for (int i = 0; i < 4; ++i) {
    const std::string id = "jti-replica-" + std::to_string(i);
    tokens.push_back(Token("user-1", id));
    Publish("TokenRevoked", {"token", id, 1, "REVOKED"},
            {{"token_id", id},
             {"user_id", "user-1"},
             {"expires_at", core::FormatRfc3339Utc(std::chrono::system_clock::now() + 15min)},
             {"reason", "logout"}});
  }
  for (const unsigned short port : {port_, second_port}) {
    for (const auto& token : tokens) {
      EXPECT_TRUE(Eventually([&] {
        return testing::HttpRequest(port, "GET", "/api/v1/catalog/p", "", Bearer(token)).status == 401;
      })) << port;
    }
  }
  EXPECT_EQ(
      testing::HttpRequest(second_port, "GET", "/api/v1/catalog/p", "", Bearer(Token("user-1", "fresh")))
          .status,
      200);
}

TEST_F(GatewayTest, DisabledUsersAreRefusedUntilEnabledAndStaleEventsAreIgnored) {
  auto& a = upstreams_.Start("a");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"}, {"MICROSTORE_CATALOG_URL", Url(a)}});
  WaitForConsumer();
  const std::string token = Token("user-7", "jti-7");
  const std::string bystander = Token("user-8", "jti-8");

  Publish("UserDisabled", {"user", "user-7", 2, "DISABLED"}, {{"user_id", "user-7"}});
  ASSERT_TRUE(Eventually([&] { return Get("/api/v1/catalog/p", Bearer(token)).status == 401; }));
  EXPECT_EQ(Body(Get("/api/v1/catalog/p", Bearer(token)))["detail"], "the token's user is disabled");
  EXPECT_EQ(Get("/api/v1/catalog/p", Bearer(bystander)).status, 200);

  Publish("UserEnabled", {"user", "user-7", 3, "ACTIVE"}, {{"user_id", "user-7"}});
  ASSERT_TRUE(Eventually([&] { return Get("/api/v1/catalog/p", Bearer(token)).status == 200; }));

  // The disable of version 2 again (a redelivery under a new id, or a late copy): stale.
  const std::string stale =
      Publish("UserDisabled", {"user", "user-7", 2, "DISABLED"}, {{"user_id", "user-7"}});
  ASSERT_TRUE(
      Eventually([&] { return Sql("SELECT count(*) FROM inbox WHERE event_id = '" + stale + "'") == "1"; }));
  std::this_thread::sleep_for(1500ms);  // longer than the cache's poll
  EXPECT_EQ(Get("/api/v1/catalog/p", Bearer(token)).status, 200);
  EXPECT_EQ(Sql("SELECT version || ':' || disabled FROM user_states"), "3:false");
}

TEST_F(GatewayTest, RateLimitIs429WithRetryAfterPerClient) {
  auto& a = upstreams_.Start("a");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"},
                {"MICROSTORE_CATALOG_URL", Url(a)},
                {"MICROSTORE_GATEWAY_RATE_LIMIT", "1"},
                {"MICROSTORE_GATEWAY_RATE_BURST", "3"}});
  const std::string alice = Bearer(Token("alice", "jti-a"));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Get("/api/v1/catalog/p", alice).status, 200) << i;
  const auto limited = Get("/api/v1/catalog/p", alice + "Origin: https://shop.example\r\n");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(ProblemType(limited), "/problems/rate-limited");
  EXPECT_EQ(limited.Header("Retry-After"), "1");
  EXPECT_EQ(limited.Header("Access-Control-Allow-Origin"), "https://shop.example");
  // Another user has a bucket of their own, and so has an anonymous client.
  EXPECT_EQ(Get("/api/v1/catalog/p", Bearer(Token("bob", "jti-b"))).status, 200);
  EXPECT_EQ(Get("/api/v1/catalog/p").status, 200);
  EXPECT_EQ(a.hits, 5);
  EXPECT_GE(Metric("gateway_rate_limited_total", ""), 1);
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(Get("/api/v1/catalog/p", alice).status, 200);
}

TEST_F(GatewayTest, CorsPreflightsAndHeaders) {
  auto& a = upstreams_.Start("a");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"}, {"MICROSTORE_CATALOG_URL", Url(a)}});
  const std::string preflight =
      "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n";
  const auto allowed =
      Send("OPTIONS", "/api/v1/catalog/products", "", "Origin: https://shop.example\r\n" + preflight);
  EXPECT_EQ(allowed.status, 204);
  EXPECT_EQ(allowed.Header("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(allowed.Header("Access-Control-Allow-Methods"), "GET, HEAD, POST, PUT, PATCH, DELETE");
  EXPECT_EQ(allowed.Header("Access-Control-Allow-Headers"),
            "Authorization, Content-Type, Idempotency-Key, If-Match, X-Request-Id, X-Correlation-Id");
  EXPECT_EQ(allowed.Header("Access-Control-Max-Age"), "600");
  EXPECT_EQ(allowed.Header("Vary"), "Origin");

  const auto refused =
      Send("OPTIONS", "/api/v1/catalog/products", "", "Origin: https://evil.example\r\n" + preflight);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(ProblemType(refused), "/problems/cors-origin-refused");
  EXPECT_EQ(refused.Header("Access-Control-Allow-Origin"), "");
  EXPECT_EQ(a.hits, 0);  // preflights are the gateway's business

  const auto simple = Get("/api/v1/catalog/products", "Origin: https://shop.example\r\n");
  EXPECT_EQ(simple.status, 200);
  EXPECT_EQ(simple.Header("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(simple.Header("Access-Control-Expose-Headers"),
            "Location, Retry-After, X-Request-Id, X-Correlation-Id");
  const auto foreign = Get("/api/v1/catalog/products", "Origin: https://evil.example\r\n");
  EXPECT_EQ(foreign.status, 200);
  EXPECT_EQ(foreign.Header("Access-Control-Allow-Origin"), "");

  // The gateway's own errors carry them too, or the page could not read them.
  for (const auto& target : {std::string("/api/v1/nope/x"), std::string("/api/v1/catalog/products")}) {
    const auto error = Get(target, "Origin: https://shop.example\r\n" +
                                       (target.find("nope") == std::string::npos ? Bearer("garbage") : ""));
    EXPECT_GE(error.status, 400);
    EXPECT_EQ(error.Header("Access-Control-Allow-Origin"), "https://shop.example") << target;
  }
}

TEST_F(GatewayTest, StaticFilesWithSinglePageFallbackAndNoTraversal) {
  auto& a = upstreams_.Start("a");
  const fs::path root = fs::temp_directory_path() / ("gateway-static-" + core::NewUuid().substr(0, 8));
  const fs::path site = root / "site";
  fs::create_directories(site / "assets");
  std::ofstream(site / "index.html") << "<!doctype html><title>shop</title>";
  std::ofstream(site / "assets" / "app.js") << "console.log('shop')";
  std::ofstream(root / "secret.txt") << "do not serve";
  fs::create_symlink(root / "secret.txt", site / "leak.txt");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"},
                {"MICROSTORE_CATALOG_URL", Url(a)},
                {"MICROSTORE_GATEWAY_STATIC_DIR", site.string()}});

  const auto index = Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>shop</title>");
  EXPECT_EQ(index.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.Header("Cache-Control"), "no-cache");
  const auto script = Get("/assets/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.body, "console.log('shop')");
  EXPECT_EQ(script.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(script.Header("Cache-Control"), "public, max-age=3600");
  const auto app_route = Get("/orders/42");
  EXPECT_EQ(app_route.status, 200);
  EXPECT_EQ(app_route.body, index.body);
  EXPECT_EQ(app_route.Header("Cache-Control"), "no-cache");
  const auto head = Send("HEAD", "/");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");

  EXPECT_EQ(Get("/assets/missing.js").status, 404);
  for (const char* target : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                             "/..%2fsecret.txt", "/assets%2f..%2f..%2fsecret.txt", "/..%5csecret.txt",
                             "/index.html%00.js", "/leak.txt", "/.%2e/secret.txt"}) {
    const auto response = Get(target);
    EXPECT_EQ(response.status, 404) << target << " " << response.body;
    EXPECT_EQ(response.body.find("do not serve"), std::string::npos) << target;
  }
  // The API is still the API.
  EXPECT_EQ(Body(Get("/api/v1/catalog/products"))["instance"], "a");
  fs::remove_all(root);
}

TEST_F(GatewayTest, WithoutStaticFilesTheRootDescribesTheGateway) {
  auto& a = upstreams_.Start("a");
  StartGateway({{"MICROSTORE_GATEWAY_AREAS", "catalog"}, {"MICROSTORE_CATALOG_URL", Url(a)}});
  const auto root = Get("/");
  EXPECT_EQ(root.status, 200);
  EXPECT_EQ(Body(root), json({{"service", "microstore gateway"}, {"api", "/api/v1"}}));
  EXPECT_EQ(Get("/index.html").status, 404);
}

}  // namespace
}  // namespace microstore::gateway
