#include "domain/utf8.hpp"

#include "core/text.hpp"

namespace microstore::catalog::utf8 {

std::size_t CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string ReplaceInvalid(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    if (core::NextCodePoint(text, pos)) {
      out.append(text.substr(start, pos - start));
    } else {
      out.append(kInvalidMarker);
    }
  }
  return out;
}

bool ContainsInvalidMarker(std::string_view text) {
  return text.find(kInvalidMarker) != std::string_view::npos;
}

}  // namespace microstore::catalog::utf8
