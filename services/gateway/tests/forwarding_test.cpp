#include "gateway/api/forwarding.hpp"

#include <gtest/gtest.h>

namespace microstore::gateway::api {
namespace {

http::Headers Make(std::initializer_list<std::pair<std::string, std::string>> entries) {
  http::Headers headers;
  for (const auto& [name, value] : entries) headers.Add(name, value);
  return headers;
}

int Count(const http::Headers& headers, std::string_view name) {
  int count = 0;
  for (const auto& [key, value] : headers.entries()) {
    http::Headers single;
    single.Add(key, value);
    if (single.Get(name)) ++count;  // Get compares names the way HTTP does
  }
  return count;
}

const ForwardContext kContext{
    .request_id = "req-1", .correlation_id = "corr-1", .client_address = "10.0.0.7"};

TEST(IsHopByHop, TheConnectionHeaders) {
  for (const char* name :
       {"Connection", "connection", "Keep-Alive", "Proxy-Authorization", "proxy-connection",
        "Proxy-Authenticate", "TE", "te", "Trailer", "Transfer-Encoding", "Upgrade"}) {
    EXPECT_TRUE(IsHopByHop(name)) << name;
  }
  for (const char* name : {"Authorization", "Content-Type", "Accept", "Trailers", "X-Proxy", "Cookie"}) {
    EXPECT_FALSE(IsHopByHop(name)) << name;
  }
}

TEST(UpstreamRequestHeaders, DropsHopByHopHostAndLength) {
  const auto headers = UpstreamRequestHeaders(Make({{"Host", "shop.example"},
                                                    {"Connection", "keep-alive, X-Private"},
                                                    {"Keep-Alive", "timeout=5"},
                                                    {"X-Private", "for the first hop"},
                                                    {"Proxy-Authorization", "Basic abc"},
                                                    {"TE", "trailers"},
                                                    {"Trailer", "X-Checksum"},
                                                    {"Transfer-Encoding", "chunked"},
                                                    {"Upgrade", "websocket"},
                                                    {"Content-Length", "12"},
                                                    {"Authorization", "Bearer token"},
                                                    {"Content-Type", "application/json"},
                                                    {"Idempotency-Key", "k-1"}}),
                                              kContext);
  for (const char* gone : {"Host", "Connection", "Keep-Alive", "X-Private", "Proxy-Authorization", "TE",
                           "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length"}) {
    EXPECT_FALSE(headers.Get(gone).has_value()) << gone;
  }
  EXPECT_EQ(headers.Get("Authorization"), "Bearer token");
  EXPECT_EQ(headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(headers.Get("Idempotency-Key"), "k-1");
  EXPECT_EQ(headers.Get("X-Forwarded-Host"), "shop.example");
}

TEST(UpstreamRequestHeaders, SetsIdsAndForwardedHeaders) {
  const auto headers = UpstreamRequestHeaders(
      Make(
          {{"X-Request-Id", "client-chosen"}, {"X-Correlation-Id", "other"}, {"X-Forwarded-Proto", "https"}}),
      kContext);
  EXPECT_EQ(headers.Get("X-Request-Id"), "req-1");
  EXPECT_EQ(headers.Get("X-Correlation-Id"), "corr-1");
  EXPECT_EQ(headers.Get("X-Forwarded-For"), "10.0.0.7");
  EXPECT_EQ(headers.Get("X-Forwarded-Proto"), "http");
  EXPECT_EQ(Count(headers, "X-Request-Id"), 1);
  EXPECT_EQ(Count(headers, "X-Forwarded-Proto"), 1);
}

TEST(UpstreamRequestHeaders, AppendsToXForwardedFor) {
  const auto headers = UpstreamRequestHeaders(
      Make({{"X-Forwarded-For", "1.2.3.4"}, {"x-forwarded-for", "5.6.7.8"}}), kContext);
  EXPECT_EQ(headers.Get("X-Forwarded-For"), "1.2.3.4, 5.6.7.8, 10.0.0.7");
  EXPECT_EQ(Count(headers, "X-Forwarded-For"), 1);
}

TEST(UpstreamRequestHeaders, FoldsRepeatedHeaders) {
  const auto headers = UpstreamRequestHeaders(
      Make({{"Accept", "text/html"}, {"accept", "application/json"}, {"Cookie", "a=1"}, {"Cookie", "b=2"}}),
      kContext);
  EXPECT_EQ(headers.Get("Accept"), "text/html, application/json");
  EXPECT_EQ(headers.Get("Cookie"), "a=1; b=2");
  EXPECT_EQ(Count(headers, "Accept"), 1);
}

TEST(CopyResponseHeaders, KeepsEndToEndHeadersAndTheContentType) {
  http::Response response;
  CopyResponseHeaders(Make({{"Content-Type", "application/problem+json"},
                            {"Content-Length", "99"},
                            {"Connection", "keep-alive"},
                            {"Transfer-Encoding", "chunked"},
                            {"Keep-Alive", "timeout=5"},
                            {"Server", "catalog"},
                            {"X-Request-Id", "req-1"},
                            {"Location", "/api/v1/products/42"},
                            {"Set-Cookie", "a=1"},
                            {"Set-Cookie", "b=2"},
                            {"Retry-After", "3"}}),
                      response);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(response.headers.Get("Location"), "/api/v1/products/42");
  EXPECT_EQ(response.headers.Get("Retry-After"), "3");
  EXPECT_EQ(Count(response.headers, "Set-Cookie"), 2);
  for (const char* gone : {"Content-Type", "Content-Length", "Connection", "Transfer-Encoding", "Keep-Alive",
                           "Server", "X-Request-Id"}) {
    EXPECT_FALSE(response.headers.Get(gone).has_value()) << gone;
  }
}

TEST(CopyResponseHeaders, NoContentTypeStaysNone) {
  http::Response response;
  CopyResponseHeaders(Make({{"Location", "/x"}}), response);
  EXPECT_EQ(response.content_type, "");
}

}  // namespace
}  // namespace microstore::gateway::api
