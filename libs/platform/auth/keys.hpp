#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

// Ed25519 key material for signing and verifying tokens, in the forms configuration and JWKS
// use. Secrets (seeds) travel as base64url text only between the key generator, the environment
// and `auth::Signer`; nothing here logs or echoes them.
namespace microstore::auth {

inline constexpr std::size_t kSeedBytes = 32;
inline constexpr std::size_t kPublicKeyBytes = 32;

// The 32-byte RFC 8032 private key ("seed"): the only secret a signer needs.
using Seed = std::array<unsigned char, kSeedBytes>;
using PublicKeyBytes = std::array<unsigned char, kPublicKeyBytes>;

// A key id ("kid") is 1 to 64 characters from A-Z a-z 0-9 . _ -, so it survives environment
// variables, config lists (`kid:key,kid:key`) and JSON without escaping.
bool IsValidKeyId(std::string_view key_id);

// The public key of a seed.
PublicKeyBytes DerivePublicKey(const Seed& seed);

// The RFC 7638 JWK thumbprint of an Ed25519 public key (base64url SHA-256 of its canonical JWK):
// a stable id derived from the key itself, 43 characters.
std::string Thumbprint(const PublicKeyBytes& public_key);

// The public JWK (RFC 8037) as compact JSON text:
// {"kty":"OKP","crv":"Ed25519","x":...,"kid":...,"alg":"EdDSA","use":"sig"}.
std::string PublicJwk(std::string_view key_id, const PublicKeyBytes& public_key);

// A fresh key pair in configuration form (base64url, unpadded).
struct GeneratedKeyPair {
  std::string key_id;
  std::string seed;        // secret: 32 bytes, base64url
  std::string public_key;  // 32 bytes, base64url
};

// Generates a key pair from the system's secure random source. `key_id` must be empty or valid
// (`IsValidKeyId`); when empty the key's thumbprint is used.
GeneratedKeyPair GenerateKeyPair(std::string key_id = {});

}  // namespace microstore::auth
