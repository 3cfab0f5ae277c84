#include "platform/http/request_reader.hpp"

#include <boost/beast/http/error.hpp>
#include <gtest/gtest.h>

#include <string>

namespace microstore::http {
namespace {

constexpr RequestLimits kSmall{.header_limit = 512, .body_limit = 256};

const Request& RequestOf(const RequestRead& read) {
  EXPECT_TRUE(std::holds_alternative<Request>(read.outcome));
  static const Request kNone;
  const auto* request = std::get_if<Request>(&read.outcome);
  return request != nullptr ? *request : kNone;
}

int StatusOf(const RequestRead& read) {
  const auto* refusal = std::get_if<RequestRefusal>(&read.outcome);
  return refusal != nullptr ? refusal->status : 0;
}

TEST(ReadRequest, ReadsARequestWithItsBody) {
  const std::string bytes =
      "POST /api/v1/orders?limit=2 HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
      "Content-Length: 7\r\n\r\n{\"a\":1}";
  for (const std::size_t piece : {std::size_t(1), std::size_t(7), bytes.size()}) {
    const RequestRead read = ReadRequest(bytes, kSmall, piece);
    const Request& request = RequestOf(read);
    EXPECT_EQ(request.method, Method::kPost);
    EXPECT_EQ(request.target, "/api/v1/orders?limit=2");
    EXPECT_EQ(request.Header("content-type"), "application/json");
    EXPECT_EQ(request.body, "{\"a\":1}");
    EXPECT_EQ(read.consumed, bytes.size());
    EXPECT_TRUE(read.keep_alive);
  }
}

TEST(ReadRequest, ReadsPipelinedRequestsOneAtATime) {
  const std::string first = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string second = "GET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  const RequestRead one = ReadRequest(first + second, kSmall);
  EXPECT_EQ(RequestOf(one).target, "/a");
  EXPECT_EQ(one.consumed, first.size());
  const RequestRead two = ReadRequest(second, kSmall);
  EXPECT_EQ(RequestOf(two).target, "/b");
  EXPECT_FALSE(two.keep_alive);
}

TEST(ReadRequest, DecodesAChunkedBody) {
  const RequestRead read = ReadRequest(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n", kSmall, 5);
  EXPECT_EQ(RequestOf(read).body, "abcde");
}

TEST(ReadRequest, RefusesWhatTheServerRefuses) {
  EXPECT_EQ(StatusOf(ReadRequest("POST / HTTP/1.1\r\nContent-Length: 300\r\n\r\n" + std::string(300, 'x'), kSmall)),
            413);
  EXPECT_EQ(StatusOf(ReadRequest("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n" +
                                     std::string(512, 'x') + "\r\n0\r\n\r\n",
                                 kSmall)),
            413);
  EXPECT_EQ(StatusOf(ReadRequest("GET / HTTP/1.1\r\nX: " + std::string(600, 'a') + "\r\n\r\n", kSmall, 64)), 431);
  EXPECT_EQ(StatusOf(ReadRequest("GET / HTTP/1.1\r\nBad Header\r\n\r\n", kSmall)), 400);
  // Bytes that end mid-request: the peer closed; the server answers 400 to what it has.
  const RequestRead partial = ReadRequest("POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n{\"a\"", kSmall);
  EXPECT_EQ(StatusOf(partial), 400);
  EXPECT_EQ(partial.partial.target, "/x");
  EXPECT_EQ(partial.partial.method, Method::kPost);
}

TEST(ReadRequest, NoBytesAreNoRequest) {
  EXPECT_TRUE(std::holds_alternative<NoRequest>(ReadRequest("", kSmall).outcome));
}

TEST(Refusal, NamesTheLimit) {
  const Response response = RefusedRequest(boost::beast::http::error::body_limit, kSmall, Request{});
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_NE(response.body.find("256 bytes"), std::string::npos);
  EXPECT_EQ(Refusal(boost::beast::http::error::header_limit, kSmall).status, 431);
  EXPECT_EQ(Refusal(boost::beast::http::error::bad_field, kSmall).status, 400);
}

}  // namespace
}  // namespace microstore::http
