#include "platform/auth/keys.hpp"

#include <sodium.h>

#include <cassert>
#include <nlohmann/json.hpp>

#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"

namespace microstore::auth {

static_assert(kSeedBytes == crypto_sign_ed25519_SEEDBYTES);
static_assert(kPublicKeyBytes == crypto_sign_ed25519_PUBLICKEYBYTES);

bool IsValidKeyId(std::string_view key_id) {
  if (key_id.empty() || key_id.size() > 64) return false;
  for (char c : key_id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

PublicKeyBytes DerivePublicKey(const Seed& seed) {
  core::EnsureSodium();
  PublicKeyBytes public_key{};
  std::array<unsigned char, crypto_sign_ed25519_SECRETKEYBYTES> secret_key{};
  crypto_sign_ed25519_seed_keypair(public_key.data(), secret_key.data(), seed.data());
  sodium_memzero(secret_key.data(), secret_key.size());
  return public_key;
}

std::string Thumbprint(const PublicKeyBytes& public_key) {
  // RFC 7638 §3: required members only, lexicographic order, no whitespace.
  const std::string canonical =
      R"({"crv":"Ed25519","kty":"OKP","x":")" + core::Base64UrlEncode(public_key) + R"("})";
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(canonical.data()),
                     canonical.size());
  return core::Base64UrlEncode(digest);
}

std::string PublicJwk(std::string_view key_id, const PublicKeyBytes& public_key) {
  nlohmann::ordered_json jwk;
  jwk["kty"] = "OKP";
  jwk["crv"] = "Ed25519";
  jwk["x"] = core::Base64UrlEncode(public_key);
  jwk["kid"] = key_id;
  jwk["alg"] = "EdDSA";
  jwk["use"] = "sig";
  return jwk.dump();
}

GeneratedKeyPair GenerateKeyPair(std::string key_id) {
  assert(key_id.empty() || IsValidKeyId(key_id));
  core::EnsureSodium();
  Seed seed{};
  randombytes_buf(seed.data(), seed.size());
  const PublicKeyBytes public_key = DerivePublicKey(seed);
  GeneratedKeyPair pair;
  pair.key_id = key_id.empty() ? Thumbprint(public_key) : std::move(key_id);
  pair.seed = core::Base64UrlEncode(seed);
  pair.public_key = core::Base64UrlEncode(public_key);
  sodium_memzero(seed.data(), seed.size());
  return pair;
}

}  // namespace microstore::auth
