#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <variant>

#include "platform/http/message.hpp"

// Reading a request off the wire: the one place the server's parser is configured and its
// result turned into an http::Request, shared by Server's sessions (which feed it from a socket)
// and ReadRequest (which feeds it bytes, for tests and the fuzzer: tests/fuzz/http_request.cpp).
namespace microstore::http {

struct RequestLimits {
  std::size_t header_limit = 16 * 1024;  // request line and headers; larger → 431
  std::size_t body_limit = 1024 * 1024;  // the body after any chunked coding; larger → 413
};

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Sets the limits on a fresh parser (one parser per request).
void ApplyLimits(RequestParser& parser, const RequestLimits& limits);

// The finished request as handlers see it: method, target, headers in order, body.
Request FromBeast(RequestParser::value_type&& message, std::string remote_address);

// What is known of a request the parser refused: its method and target when the request line
// was read (for the problem's `instance` and the access log), nothing else.
Request PartialRequest(const RequestParser& parser);

// How a parser error is answered before the connection is closed: 413 body-too-large, 431
// headers-too-large, else 400 malformed-request naming Beast's reason.
struct RequestRefusal {
  int status = 400;
  std::string code;
  std::string detail;
};
RequestRefusal Refusal(const boost::beast::error_code& error, const RequestLimits& limits);
// That refusal as a problem response about `request` (from PartialRequest).
Response RefusedRequest(const boost::beast::error_code& error, const RequestLimits& limits, const Request& request);

// The bytes ended before a request began: the peer closed an idle connection (no answer).
struct NoRequest {};

struct RequestRead {
  // The request; or the refusal (the bytes ended mid-request, too large, not HTTP/1.1); or none.
  std::variant<Request, RequestRefusal, NoRequest> outcome;
  Request partial;          // with a refusal: PartialRequest
  std::size_t consumed = 0;  // bytes used; a pipelined next request starts there
  bool keep_alive = false;   // with a request: whether the connection may carry another
};

// Reads one request from `bytes` as a session reads it from a socket that delivers `bytes` in
// pieces of at most `read_size` and then reaches end of stream: the same parser, limits and
// conversion. Never throws for any input (std::bad_alloc aside).
RequestRead ReadRequest(std::string_view bytes, const RequestLimits& limits,
                        std::size_t read_size = std::numeric_limits<std::size_t>::max());

}  // namespace microstore::http
