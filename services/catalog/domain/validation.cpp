#include "catalog/domain/validation.hpp"

#include <algorithm>

#include "platform/core/text.hpp"
#include "catalog/domain/utf8.hpp"

namespace microstore::catalog {
namespace {

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// The problem of free text's characters; `allow_line_breaks` admits tab, CR and LF.
std::optional<std::string> PlainTextProblem(std::string_view text, bool allow_line_breaks) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto c = core::NextCodePoint(text, pos);
    if (!c) return "is not valid UTF-8";
    if (IsControl(*c) && !(allow_line_breaks && (*c == '\t' || *c == '\n' || *c == '\r'))) {
      return allow_line_breaks ? "must not contain control characters other than tab and line breaks"
                               : "must not contain control characters";
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> SkuProblem(std::string_view sku) {
  if (sku.empty() || sku.size() > kMaxSkuLength) return "must be 1 to 64 characters";
  if (!std::all_of(sku.begin(), sku.end(), [](char c) { return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '-'; })) {
    return "may contain only letters A-Z and a-z, digits, '.', '_' and '-'";
  }
  return std::nullopt;
}

std::optional<std::string> NameProblem(std::string_view name) {
  const std::size_t length = utf8::CountCodePoints(name);
  if (length == 0 || length > kMaxNameCharacters) return "must be 1 to 200 characters";
  if (auto problem = PlainTextProblem(name, false)) return problem;
  if (std::all_of(name.begin(), name.end(), [](char c) { return c == ' '; })) return "must not be blank";
  return std::nullopt;
}

std::optional<std::string> DescriptionProblem(std::string_view description) {
  if (utf8::CountCodePoints(description) > kMaxDescriptionCharacters) return "must be at most 5000 characters";
  return PlainTextProblem(description, true);
}

std::optional<std::string> PhotoUrlProblem(std::string_view url) {
  if (url.size() > kMaxPhotoUrlBytes) return "must be at most 2048 bytes";
  if (!IsHttpUrl(url)) return "must be an absolute http or https URL";
  return std::nullopt;
}

std::optional<std::string> CurrencyProblem(std::string_view currency) {
  if (currency.size() != 3 ||
      !std::all_of(currency.begin(), currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return "must be an ISO 4217 code: three upper-case letters";
  }
  return std::nullopt;
}

std::vector<std::string> DistinctTags(const std::vector<std::string>& normalized) {
  std::vector<std::string> distinct;
  for (const auto& tag : normalized) {
    if (std::find(distinct.begin(), distinct.end(), tag) == distinct.end()) distinct.push_back(tag);
  }
  return distinct;
}

std::optional<std::string> TagsProblem(const std::vector<std::string>& distinct) {
  if (distinct.size() > kMaxTags) return "must hold at most 20 distinct tags";
  return std::nullopt;
}

std::optional<std::string> NormalizeTag(std::string_view tag) {
  if (tag.empty() || tag.size() > kMaxTagLength) return std::nullopt;
  std::string normalized;
  normalized.reserve(tag.size());
  for (char c : tag) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return std::nullopt;
    normalized.push_back(c);
  }
  return normalized;
}

bool IsHttpUrl(std::string_view url) {
  std::size_t scheme_end = 0;
  const auto starts_with_ci = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      char c = url[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[i]) return false;
    }
    return true;
  };
  if (starts_with_ci("https://")) {
    scheme_end = 8;
  } else if (starts_with_ci("http://")) {
    scheme_end = 7;
  } else {
    return false;
  }
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return false;
    if (std::string_view("\"<>\\^`{|}").find(c) != std::string_view::npos) return false;
  }
  const std::string_view rest = url.substr(scheme_end);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  // No user:password@ in a photo link: it is never needed and hides the real host.
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  std::string_view host = authority;
  std::string_view port;
  if (host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!std::all_of(host.begin(), host.end(),
                     [](char c) { return IsAsciiAlnum(c) || c == ':' || c == '.'; })) {
      return false;
    }
    if (!port.empty() && port.front() != ':') return false;
  } else {
    const auto colon = host.find(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon);
      host = host.substr(0, colon);
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(),
                                     [](char c) { return IsAsciiAlnum(c) || c == '.' || c == '-'; })) {
      return false;
    }
  }
  if (!port.empty()) {
    port.remove_prefix(1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
  }
  return true;
}

}  // namespace microstore::catalog
