#include "platform/core/encoding.hpp"

#include <sodium.h>

#include <array>

namespace microstore::core {

namespace {

std::string Encode(std::span<const unsigned char> bytes, int variant) {
  if (bytes.empty()) return {};
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(out.size() - 1);  // the encoder writes a terminating NUL
  return out;
}

std::optional<std::string> Decode(std::string_view text, int variant) {
  std::string out(text.size() * 3 / 4 + 1, '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, &end, variant) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::span<const unsigned char> Bytes(std::string_view text) {
  return std::span(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

}  // namespace

std::string Base64UrlEncode(std::span<const unsigned char> bytes) {
  return Encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string Base64UrlEncode(std::string_view bytes) { return Base64UrlEncode(Bytes(bytes)); }

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return Decode(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string Base64Encode(std::string_view bytes) { return Encode(Bytes(bytes), sodium_base64_VARIANT_ORIGINAL); }

std::optional<std::string> Base64Decode(std::string_view text) { return Decode(text, sodium_base64_VARIANT_ORIGINAL); }

std::string HexEncode(std::span<const unsigned char> bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return HexEncode(digest);
}

}  // namespace microstore::core
