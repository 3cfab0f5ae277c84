#include "gateway/domain/areas.hpp"

#include <charconv>

namespace microstore::gateway {
namespace {

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_';
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string UpstreamAddress::Label() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<UpstreamAddress> ParseUpstreamUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  if (url.ends_with('/')) url.remove_suffix(1);

  UpstreamAddress address;
  std::string_view port_text;
  if (url.starts_with('[')) {
    const auto close = url.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    const std::string_view host = url.substr(1, close - 1);
    for (char c : host) {
      const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') return std::nullopt;
    }
    address.host = std::string(host);
    url.remove_prefix(close + 1);
    if (!url.empty()) {
      if (url.front() != ':') return std::nullopt;
      port_text = url.substr(1);
      if (port_text.empty()) return std::nullopt;
    }
  } else {
    const auto colon = url.find(':');
    const std::string_view host = url.substr(0, colon);
    if (host.empty()) return std::nullopt;
    for (char c : host) {
      if (!IsHostChar(c)) return std::nullopt;  // also refuses '/', '?', '@', '#'
    }
    address.host = std::string(host);
    if (colon != std::string_view::npos) {
      port_text = url.substr(colon + 1);
      if (port_text.empty()) return std::nullopt;
    }
  }
  if (!port_text.empty()) {
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return std::nullopt;
    }
    address.port = static_cast<std::uint16_t>(port);
  }
  return address;
}

bool IsValidAreaName(std::string_view area) {
  if (area.empty() || area.size() > 32 || area.front() < 'a' || area.front() > 'z') return false;
  for (char c : area) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::string AreaUrlVariable(std::string_view area) {
  std::string name = "MICROSTORE_";
  for (char c : area) {
    if (c == '-') {
      name += '_';
    } else if (c >= 'a' && c <= 'z') {
      name += static_cast<char>(c - 'a' + 'A');
    } else {
      name += c;
    }
  }
  return name + "_URL";
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> entries;
  while (true) {
    const auto comma = text.find(',');
    const std::string_view entry = Trim(text.substr(0, comma));
    if (!entry.empty()) entries.emplace_back(entry);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return entries;
}

std::string UpstreamTarget(std::string_view rest, std::string_view query) {
  std::string target = "/api/v1/";
  target += rest;
  if (!query.empty()) {
    target += '?';
    target += query;
  }
  return target;
}

}  // namespace microstore::gateway
