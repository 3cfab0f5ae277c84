#include "identity/infra/secrets.hpp"

#include <sodium.h>

#include <array>

#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"

namespace microstore::identity {

namespace {
constexpr std::size_t kRefreshTokenBytes = 32;
constexpr std::size_t kRefreshTokenChars = 43;  // base64url of 32 bytes, unpadded
}  // namespace

std::string NewRefreshToken() {
  core::EnsureSodium();
  std::array<unsigned char, kRefreshTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string token = core::Base64UrlEncode(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return token;
}

std::string RefreshTokenHash(std::string_view token) { return core::Sha256Hex(token); }

bool IsWellFormedRefreshToken(std::string_view token) {
  if (token.size() != kRefreshTokenChars) return false;
  for (char c : token) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace microstore::identity
