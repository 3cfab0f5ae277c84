#include "platform/amqp/messages.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>

#include "platform/http/uri.hpp"

namespace microstore::amqp {
namespace {

constexpr std::string_view kPrefix = "microstore.";

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char p, char t) { return p == std::tolower(static_cast<unsigned char>(t)); });
}

std::optional<int> ParsePort(std::string_view text) {
  int port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) return std::nullopt;
  return port;
}

}  // namespace

std::string ExchangeOf(const std::string& producer) { return std::string(kPrefix) + producer; }

std::string QueueOf(const std::string& consumer) { return std::string(kPrefix) + consumer; }

std::string RetryQueueOf(const std::string& consumer, std::int64_t delay_ms) {
  return QueueOf(consumer) + ".retry." + std::to_string(delay_ms);
}

std::string DeadLetterQueueOf(const std::string& consumer) { return QueueOf(consumer) + ".dead"; }

bool ParseBrokerUrl(const std::string& url, BrokerAddress& address, std::string& error) {
  std::string_view rest(url);
  if (StartsWithNoCase(rest, "amqps://")) {
    error = "amqps:// (TLS) is not supported";
    return false;
  }
  if (!StartsWithNoCase(rest, "amqp://")) {
    error = "the broker URL must start with amqp://";
    return false;
  }
  rest.remove_prefix(7);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    error = "the broker URL must not have a query or a fragment";
    return false;
  }
  BrokerAddress result;
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);

  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    const auto colon = userinfo.find(':');
    auto user = http::PercentDecode(userinfo.substr(0, colon), false);
    auto password = colon == std::string_view::npos ? std::optional<std::string>(std::string())
                                                    : http::PercentDecode(userinfo.substr(colon + 1), false);
    if (!user || !password) {
      error = "the broker URL has a badly percent-encoded user or password";
      return false;
    }
    result.user = std::move(*user);
    if (colon != std::string_view::npos) result.password = std::move(*password);
  }

  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "the broker URL has an unterminated IPv6 address";
      return false;
    }
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') {
        error = "the broker URL has junk after its IPv6 address";
        return false;
      }
      port = after.substr(1);
      if (port.empty()) port = "invalid";
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) port = "invalid";
  }
  if (!host.empty()) result.host = std::string(host);
  if (!port.empty()) {
    const auto number = ParsePort(port);
    if (!number) {
      error = "the broker URL has an invalid port";
      return false;
    }
    result.port = *number;
  }

  if (path.find('/') != std::string_view::npos) {
    error = "the broker URL's vhost must be one path segment (write / as %2f)";
    return false;
  }
  auto vhost = http::PercentDecode(path, false);
  if (!vhost) {
    error = "the broker URL has a badly percent-encoded vhost";
    return false;
  }
  if (!vhost->empty()) result.vhost = std::move(*vhost);

  address = std::move(result);
  return true;
}

}  // namespace microstore::amqp
