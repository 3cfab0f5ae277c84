#pragma once

#include <string_view>

#include "platform/http/message.hpp"

// What headers cross the gateway, in each direction. Pure functions over the platform's plain
// request and response types.
namespace microstore::gateway::api {

// Headers that describe one connection rather than the message (RFC 9110 §7.6.1), which a proxy
// must not pass on: Connection, Keep-Alive, Proxy-* (Proxy-Authorization, Proxy-Connection, …),
// TE, Trailer, Transfer-Encoding, Upgrade. Case-insensitive.
bool IsHopByHop(std::string_view name);

struct ForwardContext {
  std::string_view request_id;  // the gateway's request's ids (accepted from or given to the client)
  std::string_view correlation_id;
  std::string_view client_address;  // appended to X-Forwarded-For
  std::string_view proto = "http";  // X-Forwarded-Proto
};

// The headers for the upstream request: the client's end-to-end headers, without hop-by-hop
// ones, those the client's Connection header names, Host and Content-Length (the client sets
// both). X-Request-Id and X-Correlation-Id are the gateway's; X-Forwarded-For gets the client's
// address appended; X-Forwarded-Proto is set; X-Forwarded-Host carries the client's Host.
// Repeated headers are folded into one (comma-separated; Cookie with "; "), as the platform's
// client sends one value per name.
http::Headers UpstreamRequestHeaders(const http::Headers& incoming, const ForwardContext& context);

// Fills `response` from the upstream's headers: Content-Type into response.content_type (empty
// when the upstream sent none, so none is added), every other end-to-end header copied as it is
// (repeated ones like Set-Cookie kept apart). Dropped: hop-by-hop headers, Content-Length (the
// server computes it), Server, X-Request-Id and X-Correlation-Id (the server sets the gateway's).
void CopyResponseHeaders(const http::Headers& upstream, http::Response& response);

}  // namespace microstore::gateway::api
