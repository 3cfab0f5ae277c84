#include "gateway/api/forwarding.hpp"

#include <array>
#include <string>
#include <vector>

#include "platform/core/text.hpp"
#include "gateway/domain/areas.hpp"

namespace microstore::gateway::api {
namespace {

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view candidate : names) {
    if (core::EqualsIgnoreCase(name, candidate)) return true;
  }
  return false;
}

// The header names listed in Connection headers ("Connection: close, X-Secret"): hop-by-hop too.
std::vector<std::string> ConnectionOptions(const http::Headers& headers) {
  std::vector<std::string> options;
  for (const auto& [name, value] : headers.entries()) {
    if (core::EqualsIgnoreCase(name, "Connection")) {
      for (auto& option : SplitList(value)) options.push_back(std::move(option));
    }
  }
  return options;
}

bool Named(const std::vector<std::string>& options, std::string_view name) {
  for (const auto& option : options) {
    if (core::EqualsIgnoreCase(option, name)) return true;
  }
  return false;
}

}  // namespace

bool IsHopByHop(std::string_view name) {
  return IsOneOf(name, {"Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade"}) ||
         core::StartsWithIgnoreCase(name, "Proxy-");
}

http::Headers UpstreamRequestHeaders(const http::Headers& incoming, const ForwardContext& context) {
  const auto options = ConnectionOptions(incoming);
  http::Headers headers;
  std::string forwarded_for;
  for (const auto& [name, value] : incoming.entries()) {
    if (core::EqualsIgnoreCase(name, "X-Forwarded-For")) {
      if (!forwarded_for.empty()) forwarded_for += ", ";
      forwarded_for += value;
      continue;
    }
    if (IsHopByHop(name) || Named(options, name) ||
        IsOneOf(name, {"Host", "Content-Length", "X-Request-Id", "X-Correlation-Id", "X-Forwarded-Proto",
                       "X-Forwarded-Host"})) {
      continue;
    }
    if (const auto existing = headers.Get(name)) {
      const std::string_view separator = core::EqualsIgnoreCase(name, "Cookie") ? "; " : ", ";
      headers.Set(name, std::string(*existing) + std::string(separator) + value);
    } else {
      headers.Add(name, value);
    }
  }
  if (!context.client_address.empty()) {
    if (!forwarded_for.empty()) forwarded_for += ", ";
    forwarded_for += context.client_address;
  }
  if (!forwarded_for.empty()) headers.Add("X-Forwarded-For", forwarded_for);
  headers.Add("X-Forwarded-Proto", std::string(context.proto));
  if (const auto host = incoming.Get("Host")) headers.Add("X-Forwarded-Host", std::string(*host));
  headers.Add("X-Request-Id", std::string(context.request_id));
  headers.Add("X-Correlation-Id", std::string(context.correlation_id));
  return headers;
}

void CopyResponseHeaders(const http::Headers& upstream, http::Response& response) {
  const auto options = ConnectionOptions(upstream);
  const auto content_type = upstream.Get("Content-Type");
  response.content_type = content_type ? std::string(*content_type) : std::string();
  for (const auto& [name, value] : upstream.entries()) {
    if (IsHopByHop(name) || Named(options, name) ||
        IsOneOf(name, {"Content-Type", "Content-Length", "Server", "X-Request-Id", "X-Correlation-Id"})) {
      continue;
    }
    response.headers.Add(name, value);
  }
}

}  // namespace microstore::gateway::api
