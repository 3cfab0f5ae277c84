#include "gateway/domain/static_path.hpp"

#include <array>
#include <utility>

#include "platform/core/text.hpp"

namespace microstore::gateway {
namespace {

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

std::optional<std::string> StaticFileOf(const std::vector<std::string>& segments) {
  if (segments.empty()) return std::nullopt;
  std::string relative;
  for (const std::string& segment : segments) {
    if (segment.empty() || segment.front() == '.') return std::nullopt;
    for (const char c : segment) {
      if (c == '/' || IsForbiddenByte(static_cast<unsigned char>(c))) return std::nullopt;
    }
    if (!relative.empty()) relative += '/';
    relative += segment;
  }
  return relative;
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
