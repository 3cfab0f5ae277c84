#include "platform/messaging/dead_letters.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "platform/amqp/failure_headers.hpp"
#include "platform/http/problem.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace http = microstore::http;
namespace amqp = microstore::amqp;
namespace mt = microstore::testing;
using microstore::auth::Role;
using microstore::messaging::DescribeDeadLetter;
using microstore::messaging::ParseDeadLetterLimit;
using microstore::messaging::ParseReplayLimit;
using microstore::messaging::RegisterDeadLetterRoutes;
using Json = nlohmann::json;

amqp::Delivery Parked() {
  amqp::Delivery message;
  message.exchange = "microstore.order";
  message.routing_key = "OrderCreated";
  message.message_id = "0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7e";
  message.type = "OrderCreated";
  message.correlation_id = "corr-1";
  message.body = R"({"id":"0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7e","payload":{"n":1}})";
  message.headers = {{amqp::kErrorHeader, "failed 5 times; last error: boom"},
                     {amqp::kDeadAtHeader, "2026-11-23T10:00:00.123Z"},
                     {amqp::kAttemptsHeader, "5"}};
  message.attempts = 5;
  return message;
}

TEST(DeadLetters, DescribesAParkedMessage) {
  const Json described = DescribeDeadLetter(Parked());
  EXPECT_EQ(described["id"], "0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7e");
  EXPECT_EQ(described["type"], "OrderCreated");
  EXPECT_EQ(described["error"], "failed 5 times; last error: boom");
  EXPECT_EQ(described["attempts"], 5);
  EXPECT_EQ(described["dead_at"], "2026-11-23T10:00:00.123Z");
  EXPECT_EQ(described["correlation_id"], "corr-1");
  EXPECT_EQ(described["routing_key"], "OrderCreated");
  EXPECT_EQ(described["body"]["payload"]["n"], 1);
}

TEST(DeadLetters, ABodyThatIsNotJsonIsShownAsTextAndMissingHeadersAsNull) {
  amqp::Delivery message = Parked();
  message.body = "not json at all";
  message.headers.clear();
  const Json described = DescribeDeadLetter(message);
  EXPECT_EQ(described["body"], "not json at all");
  EXPECT_TRUE(described["error"].is_null());
  EXPECT_TRUE(described["dead_at"].is_null());
}

TEST(DeadLetters, Limit) {
  EXPECT_EQ(ParseDeadLetterLimit(std::nullopt), 50u);
  EXPECT_EQ(ParseDeadLetterLimit("1"), 1u);
  EXPECT_EQ(ParseDeadLetterLimit("500"), 500u);
  for (const char* bad : {"0", "501", "-1", "ten", "", "5x", "99999999999999999999999"}) {
    EXPECT_FALSE(ParseDeadLetterLimit(std::string(bad)).has_value()) << bad;
  }
}

TEST(DeadLetters, ReplayLimit) {
  EXPECT_EQ(ParseReplayLimit(std::nullopt), 100u);
  EXPECT_EQ(ParseReplayLimit("1"), 1u);
  EXPECT_EQ(ParseReplayLimit("1000"), 1000u);
  for (const char* bad : {"0", "1001", "-1", "all", "", "5x", "99999999999999999999999"}) {
    EXPECT_FALSE(ParseReplayLimit(std::string(bad)).has_value()) << bad;
  }
}

TEST(DeadLetters, EveryRouteIsForOperatorsAndAdminsOnly) {
  asio::thread_pool workers(1);
  http::Router router;
  RegisterDeadLetterRoutes(router, "amqp://guest:guest@127.0.0.1:1/%2f", "order", workers.get_executor());
  std::vector<std::string> patterns;
  for (const auto& route : router.routes()) {
    patterns.push_back(std::string(http::ToString(route->method)) + " " + route->pattern);
    EXPECT_EQ(route->access, microstore::auth::Access::AnyOf({Role::kOperator, Role::kAdmin}))
        << route->pattern;
  }
  EXPECT_EQ(patterns, (std::vector<std::string>{"GET /api/v1/admin/dead-letters",
                                                "POST /api/v1/admin/dead-letters/replay",
                                                "POST /api/v1/admin/dead-letters/{id}/replay"}));
}

TEST(DeadLetters, TheRoutesMayLiveUnderAnotherPrefix) {
  asio::thread_pool workers(1);
  http::Router router;
  RegisterDeadLetterRoutes(router, "amqp://guest:guest@127.0.0.1:1/%2f", "gateway", workers.get_executor(),
                           {}, "/api/v1/gateway");
  EXPECT_EQ(router.Find(http::Method::kGet, "/api/v1/gateway/admin/dead-letters").kind,
            http::Router::Match::Kind::kFound);
  EXPECT_EQ(router.Find(http::Method::kGet, "/api/v1/admin/dead-letters").kind,
            http::Router::Match::Kind::kNotFound);
}

// Runs the handler of `method path` and returns the problem it threw as (status, code).
std::pair<int, std::string> ProblemOf(http::Router& router, http::Method method, const std::string& target) {
  const auto query = target.find('?');
  const auto match = router.Find(method, target.substr(0, query));
  EXPECT_EQ(match.kind, http::Router::Match::Kind::kFound) << target;
  if (match.kind != http::Router::Match::Kind::kFound) return {0, ""};
  http::Request request;
  request.method = method;
  request.target = target;
  request.path_params = match.params;
  asio::io_context io;
  try {
    const http::Response response = mt::Run(io, match.route->handler(request));
    return {response.status, ""};
  } catch (const http::HttpError& e) {
    return {e.status(), e.code()};
  }
}

TEST(DeadLetters, AnUnreachableBrokerIs503AndABadLimit400) {
  asio::thread_pool workers(1);
  http::Router router;
  // Nothing listens on port 1: QueueAdmin fails on the worker, the handler answers on the loop.
  RegisterDeadLetterRoutes(router, "amqp://guest:guest@127.0.0.1:1/%2f", "order", workers.get_executor());
  EXPECT_EQ(ProblemOf(router, http::Method::kGet, "/api/v1/admin/dead-letters"),
            (std::pair<int, std::string>{503, "broker-unavailable"}));
  EXPECT_EQ(ProblemOf(router, http::Method::kPost, "/api/v1/admin/dead-letters/replay"),
            (std::pair<int, std::string>{503, "broker-unavailable"}));
  EXPECT_EQ(ProblemOf(router, http::Method::kPost, "/api/v1/admin/dead-letters/abc/replay"),
            (std::pair<int, std::string>{503, "broker-unavailable"}));
  EXPECT_EQ(ProblemOf(router, http::Method::kGet, "/api/v1/admin/dead-letters?limit=0"),
            (std::pair<int, std::string>{400, "invalid-limit"}));
  EXPECT_EQ(ProblemOf(router, http::Method::kPost, "/api/v1/admin/dead-letters/replay?limit=1001"),
            (std::pair<int, std::string>{400, "invalid-limit"}));
  EXPECT_EQ(ProblemOf(router, http::Method::kPost, "/api/v1/admin/dead-letters/replay?limit=many"),
            (std::pair<int, std::string>{400, "invalid-limit"}));
}

}  // namespace
