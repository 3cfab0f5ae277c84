#include "gateway/domain/cors.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <stdexcept>

#include "gateway/api/cors.hpp"
#include "platform/http/problem.hpp"
#include "platform/testing/testing.hpp"

namespace microstore::gateway {
namespace {

CorsPolicy Policy(std::string_view list) {
  auto parsed = CorsPolicy::Parse(list);
  EXPECT_TRUE(std::holds_alternative<CorsPolicy>(parsed)) << list;
  return std::get<CorsPolicy>(parsed);
}

std::optional<std::string> Header(const std::vector<std::pair<std::string, std::string>>& headers,
                                  std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

TEST(CorsPolicy, ParsesListsAndStar) {
  EXPECT_FALSE(Policy("").Enabled());
  const auto listed = Policy("https://shop.example, http://localhost:5173");
  EXPECT_TRUE(listed.Enabled());
  EXPECT_TRUE(listed.Allows("https://shop.example"));
  EXPECT_TRUE(listed.Allows("http://localhost:5173"));
  EXPECT_FALSE(listed.Allows("http://shop.example"));        // another scheme
  EXPECT_FALSE(listed.Allows("https://shop.example:8443"));  // another port
  EXPECT_FALSE(listed.Allows("https://evil.shop.example"));  // exact origins only
  EXPECT_FALSE(listed.Allows("https://shop.example.evil.com"));
  EXPECT_FALSE(listed.Allows(""));
  const auto any = Policy("*");
  EXPECT_TRUE(any.Allows("https://anything.example"));
}

TEST(CorsPolicy, RefusesMalformedOrigins) {
  for (const char* list : {"shop.example", "https://shop.example/", "https://shop.example/app", "ftp://x",
                           "https://", "*, https://shop.example", "https://a b"}) {
    EXPECT_TRUE(std::holds_alternative<std::string>(CorsPolicy::Parse(list))) << list;
  }
}

TEST(DecideCors, NothingWithoutOriginOrPolicy) {
  const auto listed = Policy("https://shop.example");
  EXPECT_EQ(DecideCors(listed, std::nullopt, false), CorsVerdict::kNone);
  EXPECT_EQ(DecideCors(listed, std::nullopt, true), CorsVerdict::kNone);
  EXPECT_EQ(DecideCors(CorsPolicy(), "https://shop.example", false), CorsVerdict::kNone);
  EXPECT_EQ(DecideCors(CorsPolicy(), "https://shop.example", true), CorsVerdict::kNone);
}

TEST(DecideCors, AllowedAndRefusedOrigins) {
  const auto listed = Policy("https://shop.example");
  EXPECT_EQ(DecideCors(listed, "https://shop.example", false), CorsVerdict::kAllowed);
  EXPECT_EQ(DecideCors(listed, "https://shop.example", true), CorsVerdict::kPreflight);
  EXPECT_EQ(DecideCors(listed, "https://evil.example", false), CorsVerdict::kNotAllowed);
  EXPECT_EQ(DecideCors(listed, "https://evil.example", true), CorsVerdict::kPreflightRefused);
}

TEST(CorsHeaders, ForAnAllowedRequest) {
  const auto headers = CorsHeaders(CorsVerdict::kAllowed, "https://shop.example");
  EXPECT_EQ(Header(headers, "Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(Header(headers, "Vary"), "Origin");
  EXPECT_EQ(Header(headers, "Access-Control-Expose-Headers"),
            "Location, Retry-After, X-Request-Id, X-Correlation-Id");
  EXPECT_EQ(Header(headers, "Access-Control-Allow-Methods"), std::nullopt);
}

TEST(CorsHeaders, ForAPreflight) {
  const auto headers = CorsHeaders(CorsVerdict::kPreflight, "https://shop.example");
  EXPECT_EQ(Header(headers, "Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(Header(headers, "Access-Control-Allow-Methods"), "GET, HEAD, POST, PUT, PATCH, DELETE");
  EXPECT_EQ(Header(headers, "Access-Control-Allow-Headers"),
            "Authorization, Content-Type, Idempotency-Key, If-Match, X-Request-Id, X-Correlation-Id");
  EXPECT_EQ(Header(headers, "Access-Control-Max-Age"), "600");
}

TEST(CorsHeaders, NoneThatAllowForOtherVerdicts) {
  for (auto verdict : {CorsVerdict::kNone, CorsVerdict::kNotAllowed, CorsVerdict::kPreflightRefused}) {
    EXPECT_EQ(Header(CorsHeaders(verdict, "https://evil.example"), "Access-Control-Allow-Origin"),
              std::nullopt);
  }
  EXPECT_TRUE(CorsHeaders(CorsVerdict::kNone, "").empty());
}

// api/cors.hpp: every answer, an exception's problem too, carries the CORS headers.
class WithCorsTest : public ::testing::Test {
 protected:
  http::Response Call(const http::Handler& handler, std::string origin, bool preflight = false) {
    http::Request request;
    request.method = preflight ? http::Method::kOptions : http::Method::kGet;
    request.target = "/api/v1/catalog/products";
    request.request_id = "req-1";
    request.headers.Add("Origin", std::move(origin));
    if (preflight) request.headers.Add("Access-Control-Request-Method", "POST");
    return testing::Run(io_, handler(request));
  }

  boost::asio::io_context io_;
  const CorsPolicy policy_ = Policy("https://shop.example");
  int calls_ = 0;
};

TEST_F(WithCorsTest, ErrorsAHandlerThrowsAreProblemsWithTheHeaders) {
  const http::Handler conflict =
      api::WithCors(policy_, [](http::Request&) -> boost::asio::awaitable<http::Response> {
        throw http::HttpError(409, "conflict", "taken");
      });
  const http::Response refused = Call(conflict, "https://shop.example");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.content_type, "application/problem+json");
  EXPECT_EQ(refused.headers.Get("Access-Control-Allow-Origin"), "https://shop.example");

  const http::Handler failing = api::WithCors(
      policy_,
      [](http::Request&) -> boost::asio::awaitable<http::Response> { throw std::runtime_error("broken"); });
  const http::Response failed = Call(failing, "https://shop.example");
  EXPECT_EQ(failed.status, 500);
  EXPECT_NE(failed.body.find("/problems/internal-error"), std::string::npos) << failed.body;
  EXPECT_EQ(failed.headers.Get("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(Call(failing, "https://evil.example").headers.Get("Vary"), "Origin");
}

TEST_F(WithCorsTest, PreflightsAreAnsweredWithoutTheHandler) {
  const http::Handler handler =
      api::WithCors(policy_, [this](http::Request&) -> boost::asio::awaitable<http::Response> {
        ++calls_;
        co_return http::Response::Empty(204);
      });
  const http::Response allowed = Call(handler, "https://shop.example", true);
  EXPECT_EQ(allowed.status, 204);
  EXPECT_EQ(allowed.headers.Get("Access-Control-Allow-Methods"), "GET, HEAD, POST, PUT, PATCH, DELETE");
  const http::Response refused = Call(handler, "https://evil.example", true);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("/problems/cors-origin-refused"), std::string::npos) << refused.body;
  EXPECT_EQ(calls_, 0);
}

}  // namespace
}  // namespace microstore::gateway
