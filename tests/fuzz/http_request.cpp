// The server's request reader (http/request_reader.hpp: Beast's parser with the body and header
// limits, and the conversion to http::Request), fed bytes as a connection would deliver them:
// requests one after another (pipelining) until one is refused or the connection would close.
//   - every outcome is a request, a refusal with 400, 413 or 431, or the end of the bytes;
//   - a request respects the limits, its header names are tokens and its values hold no CR, LF
//     or NUL (nothing a handler copies into a response header can split it);
//   - the read does not depend on how the bytes arrive: fed in 7-byte pieces it reads the same
//     (a header both malformed and too large may be 400 one way and 431 the other);
//   - raising the limits never refuses what the lower limits accepted, and reads it the same;
//   - what a handler reads first (path, query parameters, the JSON body) throws nothing but a
//     4xx HttpError, and the refusal renders as a problem body that is valid JSON.
#include <nlohmann/json.hpp>

#include <variant>

#include "platform/http/query.hpp"
#include "platform/http/request_reader.hpp"
#include "platform/http/router.hpp"
#include "support.hpp"
#include "platform/wire/json_reader.hpp"

namespace {

namespace http = microstore::http;
using microstore::fuzz::Fail;

constexpr http::RequestLimits kSmall{.header_limit = 512, .body_limit = 256};
constexpr http::RequestLimits kServer{};  // ServerOptions' defaults

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool SameRequest(const http::Request& a, const http::Request& b) {
  return a.method == b.method && a.target == b.target && a.headers.entries() == b.headers.entries() &&
         a.body == b.body;
}

// The same outcome; for requests also the same bytes used (where the next one starts).
bool SameRead(const http::RequestRead& a, const http::RequestRead& b) {
  if (a.outcome.index() != b.outcome.index()) return false;
  if (const auto* request = std::get_if<http::Request>(&a.outcome)) {
    return a.consumed == b.consumed && a.keep_alive == b.keep_alive &&
           SameRequest(*request, std::get<http::Request>(b.outcome));
  }
  if (const auto* refusal = std::get_if<http::RequestRefusal>(&a.outcome)) {
    // A header both malformed and too large is refused either way, as 400 or 431 depending on
    // whether Beast parsed a bad field before its buffer passed the limit: both answers are right.
    const auto& other = std::get<http::RequestRefusal>(b.outcome);
    const auto header_trouble = [](int status) { return status == 400 || status == 431; };
    return refusal->status == other.status || (header_trouble(refusal->status) && header_trouble(other.status));
  }
  return true;
}

// The routes of a small service, so the router sees every path the parser lets through.
const http::Router& Routes() {
  static const http::Router router = [] {
    http::Router r;
    const auto none = [](http::Request&) -> boost::asio::awaitable<http::Response> { co_return http::Response{}; };
    const auto open = microstore::auth::Access::Public();
    r.Get("/api/v1/orders", open, none);
    r.Post("/api/v1/orders", open, none);
    r.Get("/api/v1/orders/mine", open, none);
    r.Get("/api/v1/orders/{id}", open, none);
    r.Post("/api/v1/orders/{id}/cancel", open, none);
    r.Get("/static/{path...}", open, none);
    return r;
  }();
  return router;
}

void CheckRequest(const http::Request& request, const http::RequestLimits& limits) {
  FUZZ_CHECK(request.body.size() <= limits.body_limit, "a body above the limit was accepted");
  FUZZ_CHECK(!request.target.empty(), "a request without a target");
  for (const auto& [name, value] : request.headers.entries()) {
    FUZZ_CHECK(!name.empty(), "an empty header name");
    for (const char c : name) FUZZ_CHECK(IsTokenChar(c), "a header name that is not a token: " + name);
    FUZZ_CHECK(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos,
               "a header value with CR, LF or NUL");
  }

  // What handlers and the server read first.
  (void)request.Path();
  const auto match = Routes().Find(request.method, request.Path());
  for (const auto& [name, value] : match.params) FUZZ_CHECK(!value.empty(), "an empty path parameter " + name);
  microstore::fuzz::AllowingHttpErrors({400}, [&] { (void)http::QueryParameters(request); });
  microstore::fuzz::AllowingHttpErrors({400}, [&] { (void)request.Query("limit"); });
  microstore::fuzz::AllowingHttpErrors({422, 400}, [&] { http::RefuseQueryParameters(request); });
  if (request.Header("Content-Type")) {
    microstore::fuzz::AllowingHttpErrors({400, 415, 422}, [&] { (void)request.Json(); });
  }
}

void CheckRefusal(const http::RequestRead& read, const http::RequestLimits& limits) {
  const auto& refusal = std::get<http::RequestRefusal>(read.outcome);
  FUZZ_CHECK(refusal.status == 400 || refusal.status == 413 || refusal.status == 431,
             "refused with " + std::to_string(refusal.status));
  if (refusal.status == 413) FUZZ_CHECK(refusal.detail.find(std::to_string(limits.body_limit)) != std::string::npos);
  // The answer the server writes: a problem naming the request's path, valid JSON whatever the
  // target held.
  const http::Response problem = http::Problem(refusal.status, refusal.code, refusal.detail, &read.partial);
  auto body = microstore::wire::ReadJson(problem.body);
  FUZZ_CHECK(std::holds_alternative<nlohmann::json>(body), "a refusal's problem body is not valid JSON");
}

// Reads requests from `bytes` one after another like a session; returns the reads and where
// each began.
struct Reads {
  std::vector<http::RequestRead> reads;
  std::vector<std::size_t> starts;
};
Reads ReadAll(std::string_view bytes, const http::RequestLimits& limits, std::size_t read_size) {
  Reads all;
  std::size_t start = 0;
  for (int i = 0; i < 16; ++i) {
    http::RequestRead read = http::ReadRequest(bytes.substr(start), limits, read_size);
    FUZZ_CHECK(read.consumed <= bytes.size() - start, "consumed more than was given");
    const bool go_on = std::holds_alternative<http::Request>(read.outcome) && read.keep_alive;
    all.starts.push_back(start);
    start += read.consumed;
    const bool progressed = read.consumed > 0;
    all.reads.push_back(std::move(read));
    if (!go_on || start == bytes.size()) break;
    FUZZ_CHECK(progressed, "a request read from no bytes");
  }
  return all;
}

// Beast applies header_limit to the fields alone when the whole header arrives in one read, but
// to the request line and fields together when it arrives in pieces: a header longer than the
// limit with its request line may be read (or refused for its body) one way and refused with
// 431 the other (see docs/reliability.md). True for that case.
bool HeaderLimitDependsOnArrival(const http::RequestRead& a, const http::RequestRead& b, std::string_view bytes,
                                 const http::RequestLimits& limits) {
  const auto is_431 = [](const http::RequestRead& read) {
    const auto* refusal = std::get_if<http::RequestRefusal>(&read.outcome);
    return refusal != nullptr && refusal->status == 431;
  };
  const auto end = bytes.find("\r\n\r\n");
  return is_431(a) != is_431(b) && end != std::string_view::npos && end + 4 > limits.header_limit - 4;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = microstore::fuzz::AsText(data, size);
  return microstore::fuzz::Guarded([&] {
    const Reads small = ReadAll(bytes, kSmall, std::numeric_limits<std::size_t>::max());
    for (const auto& read : small.reads) {
      if (const auto* request = std::get_if<http::Request>(&read.outcome)) CheckRequest(*request, kSmall);
      if (std::holds_alternative<http::RequestRefusal>(read.outcome)) CheckRefusal(read, kSmall);
    }

    const Reads pieces = ReadAll(bytes, kSmall, 7);
    bool same = true;
    for (std::size_t i = 0; same && i < small.reads.size() && i < pieces.reads.size(); ++i) {
      if (SameRead(small.reads[i], pieces.reads[i])) continue;
      FUZZ_CHECK(HeaderLimitDependsOnArrival(small.reads[i], pieces.reads[i], bytes.substr(small.starts[i]), kSmall),
                 "request " + std::to_string(i) + " reads differently in pieces");
      same = false;
    }
    if (same) {
      FUZZ_CHECK(pieces.reads.size() == small.reads.size(), "the number of requests depends on how the bytes arrive");
    }

    const Reads server = ReadAll(bytes, kServer, 4096);
    for (std::size_t i = 0; i < small.reads.size() && i < server.reads.size(); ++i) {
      if (!std::holds_alternative<http::Request>(small.reads[i].outcome)) break;
      FUZZ_CHECK(SameRead(small.reads[i], server.reads[i]),
                 "higher limits read request " + std::to_string(i) + " differently");
    }
    for (const auto& read : server.reads) {
      if (const auto* request = std::get_if<http::Request>(&read.outcome)) CheckRequest(*request, kServer);
      if (std::holds_alternative<http::RequestRefusal>(read.outcome)) CheckRefusal(read, kServer);
    }
  });
}
