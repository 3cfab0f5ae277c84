#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "platform/auth/keys.hpp"
#include "platform/auth/roles.hpp"

// JSON Web Tokens signed with Ed25519 (JWS "EdDSA", RFC 8037), compact serialisation only.
//
// A token's header is {"alg":"EdDSA","typ":"JWT","kid":<key id>}; its claims are
//   sub    subject (user id), required, non-empty string
//   roles  array of role wire names ("ADMIN", ...), required, may be empty
//   jti    token id, optional string
//   iss    issuer, required, must equal the verifier's
//   iat    issued at, optional NumericDate
//   nbf    not before, optional NumericDate
//   exp    expiry, required NumericDate
// NumericDates are seconds since the epoch (fractions are accepted and truncated).
namespace microstore::auth {

using Clock = std::chrono::system_clock;

struct Claims {
  std::string subject;
  RoleSet roles;
  std::string token_id;  // written as `jti` when not empty
  std::string issuer;
  Clock::time_point issued_at;
  Clock::time_point expires_at;  // written truncated to whole seconds
};

// Why a configuration value holding keys was refused. The text names the entry and the problem
// and never contains key material, so it can go into a startup error as it is.
struct KeyConfigError {
  std::string message;
};

// Signs tokens with one Ed25519 private key. Holds the secret key in memory and wipes it on
// destruction; it is movable but not copyable so the secret is not duplicated by accident.
// Thread-safe for concurrent `Sign` calls.
class Signer {
 public:
  // `key_id` must satisfy `IsValidKeyId`.
  Signer(std::string key_id, const Seed& seed);
  ~Signer();
  Signer(Signer&&) noexcept = default;
  Signer& operator=(Signer&&) noexcept = default;
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  // From configuration text `kid:BASE64URL_SEED`, or a bare `BASE64URL_SEED` meaning kid
  // "default". Surrounding whitespace is ignored.
  static std::variant<Signer, KeyConfigError> FromConfig(std::string_view text);

  // The compact JWS of `claims`. `claims.subject` and `claims.issuer` must not be empty; text
  // must be valid UTF-8 (a JSON exception is thrown otherwise: a programming error).
  std::string Sign(const Claims& claims) const;

  const std::string& key_id() const { return key_id_; }
  const PublicKeyBytes& PublicKey() const { return public_key_; }
  // This key's public JWK, for the identity service's JWKS.
  std::string Jwk() const { return PublicJwk(key_id_, public_key_); }

 private:
  std::string key_id_;
  std::array<unsigned char, 64> secret_key_;
  PublicKeyBytes public_key_;
  std::string encoded_header_;
};

// Why a token was refused. `Describe` gives the text for a 401 body.
enum class VerifyError {
  kTooLarge,              // longer than Verifier::kMaxTokenBytes
  kMalformed,             // not header.payload.signature, bad base64url, not a JSON object
  kUnsupportedAlgorithm,  // header alg is not "EdDSA" (or is missing)
  kUnsupportedHeader,     // typ is not JWT, or a `crit` extension is demanded
  kUnknownKey,            // kid not trusted, or no kid while several keys are trusted
  kBadSignature,          // signature does not verify (tampered, wrong key, truncated)
  kMissingExpiry,         // exp missing, not a number, or out of range
  kExpired,               // now >= exp + leeway
  kNotYetValid,           // now < nbf - leeway
  kWrongIssuer,           // iss missing or not the expected issuer
  kMissingSubject,        // sub missing, empty or not a string
  kBadRoles,              // roles missing, not an array, or holding an unknown role name
  kInvalidClaim,          // iat, nbf or jti of the wrong type or out of range
};

// A short reason safe to show to the caller: it reveals nothing about keys or the token.
std::string_view Describe(VerifyError error);

using VerifyResult = std::variant<Principal, VerifyError>;

// Verifies tokens against a set of trusted public keys, selected by the token's `kid`, so keys
// can be rotated: trust old and new, switch the signer, drop the old key after the longest token
// lifetime. The algorithm is pinned to EdDSA whatever the header says; keys are never taken from
// the token (`jwk`, `jku`, `x5c` headers are ignored). Unknown role names are refused rather than
// dropped: a token that carries a role this service does not know means the identity service
// and this service disagree, and we would rather fail loudly than silently downgrade. Deploy a
// new role to verifiers before issuing it.
//
// Immutable after set-up, so `Verify` is safe to call from any number of threads.
class Verifier {
 public:
  static constexpr std::chrono::seconds kDefaultLeeway{30};
  static constexpr std::size_t kMaxTokenBytes = 8 * 1024;

  // `issuer` must not be empty; `leeway` (tolerated clock skew) must not be negative.
  explicit Verifier(std::string issuer, std::chrono::seconds leeway = kDefaultLeeway);

  // From configuration text `kid1:BASE64URL,kid2:BASE64URL` (a single bare `BASE64URL` means
  // kid "default"). Whitespace around entries is ignored. Fails on an empty list, an invalid kid,
  // a duplicate kid, a key that is not 32 bytes of base64url or not a valid Ed25519 point, or an
  // empty issuer.
  static std::variant<Verifier, KeyConfigError> FromConfig(std::string_view public_keys, std::string issuer,
                                                           std::chrono::seconds leeway = kDefaultLeeway);

  // Trusts `public_key` under `key_id`. `key_id` must be valid and not yet present.
  void AddKey(std::string key_id, const PublicKeyBytes& public_key);

  // The principal of a valid token, or why it is not valid at `now`. Never throws for any input.
  VerifyResult Verify(std::string_view token, Clock::time_point now) const;

  // The trusted keys as a JWKS document ({"keys":[...]}).
  std::string Jwks() const;
  const std::string& issuer() const { return issuer_; }
  std::chrono::seconds leeway() const { return leeway_; }
  std::vector<std::string> key_ids() const;

 private:
  struct TrustedKey {
    std::string key_id;
    PublicKeyBytes public_key;
    std::string encoded_header;  // what our Signer writes for this kid, for a parse-free match
  };

  const TrustedKey* FindKey(std::string_view key_id) const;
  std::variant<const TrustedKey*, VerifyError> SelectKey(std::string_view encoded_header) const;

  std::string issuer_;
  std::chrono::seconds leeway_;
  std::vector<TrustedKey> keys_;
};

// The token of an `Authorization: Bearer <token>` header value (scheme matched
// case-insensitively); nullopt when the value is not a bearer credential.
std::optional<std::string_view> BearerToken(std::string_view authorization);

}  // namespace microstore::auth
