#include "platform/core/ids.hpp"

#include <sodium.h>

#include <array>
#include <cstdlib>

namespace microstore::core {

void EnsureSodium() {
  static const bool kReady = [] {
    // libsodium's default generator makes a getrandom() system call per call, which showed up
    // in every request (request ids). Its internal generator is a ChaCha20 CSPRNG seeded from
    // the kernel and re-seeded after fork: same quality, no system call.
    randombytes_set_implementation(&randombytes_internal_implementation);
    if (sodium_init() < 0) std::abort();  // no entropy source: nothing secure can run
    return true;
  }();
  (void)kReady;
}

std::string NewUuid() {
  EnsureSodium();
  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0f]);
  }
  return out;
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> CanonicalUuid(std::string_view text) {
  if (!IsUuid(text)) return std::nullopt;
  std::string canonical(text);
  for (char& c : canonical) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return canonical;
}

}  // namespace microstore::core
