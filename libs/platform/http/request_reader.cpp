#include "platform/http/request_reader.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cstdint>

#include "platform/http/problem.hpp"

namespace microstore::http {

namespace bhttp = boost::beast::http;

void ApplyLimits(RequestParser& parser, const RequestLimits& limits) {
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(limits.header_limit, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(limits.body_limit);
}

Request FromBeast(RequestParser::value_type&& message, std::string remote_address) {
  Request request;
  request.method = ParseMethod(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  request.body = std::move(message.body());
  request.remote_address = std::move(remote_address);
  return request;
}

Request PartialRequest(const RequestParser& parser) {
  Request request;
  if (parser.is_header_done()) {
    request.method = ParseMethod(parser.get().method_string());
    request.target = std::string(parser.get().target());
  }
  return request;
}

RequestRefusal Refusal(const boost::beast::error_code& error, const RequestLimits& limits) {
  if (error == bhttp::error::body_limit) {
    return {413, "body-too-large", "the body exceeds " + std::to_string(limits.body_limit) + " bytes"};
  }
  if (error == bhttp::error::header_limit) {
    return {431, "headers-too-large", "the headers exceed " + std::to_string(limits.header_limit) + " bytes"};
  }
  return {400, "malformed-request", "the request is not valid HTTP/1.1: " + error.message()};
}

Response RefusedRequest(const boost::beast::error_code& error, const RequestLimits& limits, const Request& request) {
  const RequestRefusal refusal = Refusal(error, limits);
  return Problem(refusal.status, refusal.code, refusal.detail, &request);
}

RequestRead ReadRequest(std::string_view bytes, const RequestLimits& limits, std::size_t read_size) {
  RequestRead read;
  RequestParser parser;
  ApplyLimits(parser, limits);
  read_size = std::max<std::size_t>(read_size, 1);
  std::size_t received = 0;  // what the "socket" has delivered so far
  std::size_t used = 0;      // what the parser consumed of it
  const auto receive = [&] { received += std::min(read_size, bytes.size() - received); };
  // Beast's read loop (http::async_read): parse what is buffered; when the parser needs more, or
  // nothing is buffered, read more; at end of stream, a parser that has seen nothing means no
  // request, else put_eof.
  boost::beast::error_code error;
  while (!parser.is_done()) {
    if (used < received) {
      used += parser.put(boost::asio::const_buffer(bytes.data() + used, received - used), error);
      if (error != bhttp::error::need_more) {
        if (error) break;
        continue;
      }
      error = {};
    }
    if (received < bytes.size()) {
      receive();
      continue;
    }
    if (!parser.got_some()) {
      read.outcome = NoRequest{};
      read.consumed = used;
      return read;
    }
    parser.put_eof(error);
    if (error) break;
  }
  read.consumed = used;
  if (error) {
    read.outcome = Refusal(error, limits);
    read.partial = PartialRequest(parser);
    return read;
  }
  read.keep_alive = parser.keep_alive();
  read.outcome = FromBeast(parser.release(), {});
  return read;
}

}  // namespace microstore::http
