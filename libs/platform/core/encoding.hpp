#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace microstore::core {

// RFC 4648 §5 base64url without padding, as JWTs and JWKS use it.
std::string Base64UrlEncode(std::span<const unsigned char> bytes);
std::string Base64UrlEncode(std::string_view bytes);
// nullopt when the text is not valid unpadded base64url (padding is tolerated).
std::optional<std::string> Base64UrlDecode(std::string_view text);

// RFC 4648 §4 base64 with padding, as HTTP Basic credentials use it.
std::string Base64Encode(std::string_view bytes);
// nullopt when the text is not valid padded base64.
std::optional<std::string> Base64Decode(std::string_view text);

std::string HexEncode(std::span<const unsigned char> bytes);
std::string Sha256Hex(std::string_view bytes);

}  // namespace microstore::core
