#include "catalog/domain/utf8.hpp"

namespace microstore::catalog::utf8 {

std::size_t CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace microstore::catalog::utf8
