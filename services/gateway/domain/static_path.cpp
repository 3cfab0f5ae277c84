#include "gateway/domain/static_path.hpp"

#include <array>
#include <utility>

#include "platform/core/text.hpp"

namespace microstore::gateway {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Control characters, backslash (a separator on some systems) and DEL never name a file we serve.
bool IsForbiddenByte(unsigned char c) { return c < 0x20 || c == 0x7f || c == '\\'; }

std::string_view Extension(std::string_view relative) {
  const auto slash = relative.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? relative : relative.substr(slash + 1);
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return {};
  return name.substr(dot + 1);
}

}  // namespace

std::optional<std::string> ResolveStaticPath(std::string_view raw) {
  std::string decoded;
  decoded.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      if (i + 2 >= raw.size()) return std::nullopt;
      const int high = HexValue(raw[i + 1]);
      const int low = HexValue(raw[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      c = static_cast<char>(high * 16 + low);
      // An encoded separator would hide a segment from the checks below.
      if (c == '/' || c == '\0') return std::nullopt;
      i += 2;
    }
    if (IsForbiddenByte(static_cast<unsigned char>(c))) return std::nullopt;
    decoded += c;
  }
  if (decoded.empty() || decoded.front() == '/') return std::nullopt;
  std::size_t start = 0;
  while (start <= decoded.size()) {
    const auto slash = decoded.find('/', start);
    const std::size_t end = slash == std::string::npos ? decoded.size() : slash;
    const std::string_view segment(decoded.data() + start, end - start);
    if (segment.empty() || segment.front() == '.') return std::nullopt;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return decoded;
}

bool HasExtension(std::string_view relative) { return !Extension(relative).empty(); }

std::string_view ContentTypeFor(std::string_view relative) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes{{
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"txt", "text/plain; charset=utf-8"},
      {"woff2", "font/woff2"},
      {"map", "application/json"},
  }};
  const std::string_view extension = Extension(relative);
  for (const auto& [known, type] : kTypes) {
    if (core::EqualsIgnoreCase(extension, known)) return type;
  }
  return "application/octet-stream";
}

std::string_view CacheControlFor(std::string_view relative) {
  const auto slash = relative.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? relative : relative.substr(slash + 1);
  return name == kIndexFile ? "no-cache" : "public, max-age=3600";
}

}  // namespace microstore::gateway
