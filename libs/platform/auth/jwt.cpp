#include "platform/auth/jwt.hpp"

#include <sodium.h>

#include <algorithm>
#include <cassert>
#include <nlohmann/json.hpp>

#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"

namespace microstore::auth {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kAlgorithm = "EdDSA";
constexpr std::string_view kDefaultKeyId = "default";
constexpr std::size_t kSignatureBytes = crypto_sign_ed25519_BYTES;
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

// The largest NumericDate a system_clock::time_point can hold (nanosecond ticks end in 2262).
constexpr std::int64_t kMaxNumericDate =
    std::chrono::duration_cast<std::chrono::seconds>(Clock::duration::max()).count();

std::string EncodedHeader(std::string_view key_id) {
  nlohmann::ordered_json header;
  header["alg"] = kAlgorithm;
  header["typ"] = "JWT";
  header["kid"] = key_id;
  return core::Base64UrlEncode(header.dump());
}

std::int64_t ToNumericDate(Clock::time_point time) {
  return std::chrono::floor<std::chrono::seconds>(time).time_since_epoch().count();
}

std::optional<Clock::time_point> FromNumericDate(const Json& value) {
  std::int64_t seconds = 0;
  if (value.is_number_unsigned()) {
    const auto number = value.get<std::uint64_t>();
    if (number > static_cast<std::uint64_t>(kMaxNumericDate)) return std::nullopt;
    seconds = static_cast<std::int64_t>(number);
  } else if (value.is_number_integer()) {
    const auto number = value.get<std::int64_t>();
    if (number < 0 || number > kMaxNumericDate) return std::nullopt;
    seconds = number;
  } else if (value.is_number_float()) {
    const auto number = value.get<double>();
    if (!(number >= 0 && number <= static_cast<double>(kMaxNumericDate))) return std::nullopt;
    seconds = static_cast<std::int64_t>(number);
  } else {
    return std::nullopt;
  }
  return Clock::time_point(std::chrono::seconds(seconds));
}

// Strict: no padding, no whitespace, zero trailing bits (so one token has one encoding).
bool DecodeInto(std::string_view text, unsigned char* out, std::size_t capacity, std::size_t& length) {
  const char* end = nullptr;
  return sodium_base642bin(out, capacity, text.data(), text.size(), nullptr, &length, &end, kVariant) == 0 &&
         end == text.data() + text.size();
}

std::optional<std::string> DecodeSegment(std::string_view text) {
  std::string out(text.size() * 3 / 4 + 1, '\0');
  std::size_t length = 0;
  if (!DecodeInto(text, reinterpret_cast<unsigned char*>(out.data()), out.size(), length))
    return std::nullopt;
  out.resize(length);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

struct KeyEntry {
  std::string_view key_id;
  std::string_view key;
};

// "kid:key" or a bare "key" (kid "default").
KeyEntry SplitEntry(std::string_view entry) {
  const auto colon = entry.find(':');
  if (colon == std::string_view::npos) return {kDefaultKeyId, entry};
  return {Trim(entry.substr(0, colon)), Trim(entry.substr(colon + 1))};
}

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

const std::string& Text(const Json& value) { return value.get_ref<const std::string&>(); }

VerifyResult CheckClaims(const Json& claims, Clock::time_point now, const std::string& issuer,
                         std::chrono::seconds leeway) {
  const auto end = claims.end();

  const auto exp = claims.find("exp");
  if (exp == end) return VerifyError::kMissingExpiry;
  const auto expires_at = FromNumericDate(*exp);
  if (!expires_at) return VerifyError::kMissingExpiry;
  if (now - leeway >= *expires_at) return VerifyError::kExpired;

  if (const auto nbf = claims.find("nbf"); nbf != end) {
    const auto not_before = FromNumericDate(*nbf);
    if (!not_before) return VerifyError::kInvalidClaim;
    if (now + leeway < *not_before) return VerifyError::kNotYetValid;
  }
  if (const auto iat = claims.find("iat"); iat != end && !FromNumericDate(*iat)) {
    return VerifyError::kInvalidClaim;
  }

  const auto iss = claims.find("iss");
  if (iss == end || !iss->is_string() || Text(*iss) != issuer) return VerifyError::kWrongIssuer;

  const auto sub = claims.find("sub");
  if (sub == end || !sub->is_string() || Text(*sub).empty()) return VerifyError::kMissingSubject;

  const auto roles = claims.find("roles");
  if (roles == end || !roles->is_array()) return VerifyError::kBadRoles;
  Principal principal;
  for (const Json& name : *roles) {
    if (!name.is_string()) return VerifyError::kBadRoles;
    const auto role = ParseRole(Text(name));
    if (!role) return VerifyError::kBadRoles;
    principal.roles.Add(*role);
  }

  if (const auto jti = claims.find("jti"); jti != end) {
    if (!jti->is_string()) return VerifyError::kInvalidClaim;
    principal.token_id = Text(*jti);
  }
  principal.subject = Text(*sub);
  principal.expires_at = *expires_at;
  return principal;
}

}  // namespace

Signer::Signer(std::string key_id, const Seed& seed)
    : key_id_(std::move(key_id)), secret_key_{}, public_key_{}, encoded_header_(EncodedHeader(key_id_)) {
  assert(IsValidKeyId(key_id_));
  static_assert(sizeof(secret_key_) == crypto_sign_ed25519_SECRETKEYBYTES);
  core::EnsureSodium();
  crypto_sign_ed25519_seed_keypair(public_key_.data(), secret_key_.data(), seed.data());
}

Signer::~Signer() { sodium_memzero(secret_key_.data(), secret_key_.size()); }

std::variant<Signer, KeyConfigError> Signer::FromConfig(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return KeyConfigError{"no signing key given"};
  if (text.find(',') != std::string_view::npos) return KeyConfigError{"only one signing key may be given"};
  const auto [key_id, encoded] = SplitEntry(text);
  if (!IsValidKeyId(key_id)) {
    return KeyConfigError{"the signing key id must be 1-64 characters of A-Z a-z 0-9 . _ -"};
  }
  // Decoded into a fixed buffer so that the secret is never copied to the heap, then wiped.
  std::array<unsigned char, 2 * kSeedBytes> buffer{};
  std::size_t length = 0;
  const bool decoded = DecodeInto(encoded, buffer.data(), buffer.size(), length);
  if (!decoded || length != kSeedBytes) {
    sodium_memzero(buffer.data(), buffer.size());
    return KeyConfigError{"signing key " + Quoted(key_id) + ": the seed must be " +
                          std::to_string(kSeedBytes) + " bytes of unpadded base64url"};
  }
  Seed seed{};
  std::copy_n(buffer.begin(), kSeedBytes, seed.begin());
  Signer signer(std::string(key_id), seed);
  sodium_memzero(buffer.data(), buffer.size());
  sodium_memzero(seed.data(), seed.size());
  return signer;
}

std::string Signer::Sign(const Claims& claims) const {
  assert(!claims.subject.empty() && !claims.issuer.empty());
  nlohmann::ordered_json payload;
  payload["sub"] = claims.subject;
  payload["roles"] = claims.roles.ToStrings();
  if (!claims.token_id.empty()) payload["jti"] = claims.token_id;
  payload["iss"] = claims.issuer;
  payload["iat"] = ToNumericDate(claims.issued_at);
  payload["exp"] = ToNumericDate(claims.expires_at);

  std::string token = encoded_header_;
  token += '.';
  token += core::Base64UrlEncode(payload.dump());
  std::array<unsigned char, kSignatureBytes> signature{};
  crypto_sign_ed25519_detached(signature.data(), nullptr,
                               reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                               secret_key_.data());
  token += '.';
  token += core::Base64UrlEncode(signature);
  return token;
}

std::string_view Describe(VerifyError error) {
  switch (error) {
    case VerifyError::kTooLarge:
      return "token is too large";
    case VerifyError::kMalformed:
      return "token is malformed";
    case VerifyError::kUnsupportedAlgorithm:
      return "token algorithm is not accepted";
    case VerifyError::kUnsupportedHeader:
      return "token header is not supported";
    case VerifyError::kUnknownKey:
      return "token signing key is not known";
    case VerifyError::kBadSignature:
      return "token signature is invalid";
    case VerifyError::kMissingExpiry:
      return "token has no valid expiry time";
    case VerifyError::kExpired:
      return "token has expired";
    case VerifyError::kNotYetValid:
      return "token is not yet valid";
    case VerifyError::kWrongIssuer:
      return "token issuer is not accepted";
    case VerifyError::kMissingSubject:
      return "token has no subject";
    case VerifyError::kBadRoles:
      return "token roles are invalid";
    case VerifyError::kInvalidClaim:
      return "token has an invalid claim";
  }
  return "token is invalid";
}

Verifier::Verifier(std::string issuer, std::chrono::seconds leeway)
    : issuer_(std::move(issuer)), leeway_(leeway) {
  assert(!issuer_.empty());
  assert(leeway_ >= std::chrono::seconds::zero());
  core::EnsureSodium();
}

std::variant<Verifier, KeyConfigError> Verifier::FromConfig(std::string_view public_keys, std::string issuer,
                                                            std::chrono::seconds leeway) {
  if (issuer.empty()) return KeyConfigError{"the token issuer is empty"};
  if (leeway < std::chrono::seconds::zero()) return KeyConfigError{"the clock leeway is negative"};
  if (Trim(public_keys).empty()) return KeyConfigError{"no public keys given"};

  Verifier verifier(std::move(issuer), leeway);
  const bool several = public_keys.find(',') != std::string_view::npos;
  int number = 0;
  for (std::size_t start = 0; start <= public_keys.size();) {
    const auto comma = std::min(public_keys.find(',', start), public_keys.size());
    const auto entry = Trim(public_keys.substr(start, comma - start));
    start = comma + 1;
    const std::string where = "public key entry " + std::to_string(++number);

    if (entry.empty()) return KeyConfigError{where + " is empty"};
    if (several && entry.find(':') == std::string_view::npos) {
      return KeyConfigError{where + " has no key id: write kid:key (a bare key is only allowed alone)"};
    }
    const auto [key_id, encoded] = SplitEntry(entry);
    if (!IsValidKeyId(key_id)) {
      return KeyConfigError{where + ": the key id must be 1-64 characters of A-Z a-z 0-9 . _ -"};
    }
    const std::string named = "public key " + Quoted(key_id);
    if (verifier.FindKey(key_id) != nullptr) return KeyConfigError{named + " is given twice"};

    std::array<unsigned char, 2 * kPublicKeyBytes> buffer{};
    std::size_t length = 0;
    if (!DecodeInto(encoded, buffer.data(), buffer.size(), length) || length != kPublicKeyBytes) {
      return KeyConfigError{named + " must be " + std::to_string(kPublicKeyBytes) +
                            " bytes of unpadded base64url"};
    }
    PublicKeyBytes key{};
    std::copy_n(buffer.begin(), kPublicKeyBytes, key.begin());
    if (crypto_core_ed25519_is_valid_point(key.data()) != 1) {
      return KeyConfigError{named + " is not a valid Ed25519 public key"};
    }
    verifier.AddKey(std::string(key_id), key);
  }
  return verifier;
}

void Verifier::AddKey(std::string key_id, const PublicKeyBytes& public_key) {
  assert(IsValidKeyId(key_id));
  assert(FindKey(key_id) == nullptr);
  std::string encoded_header = EncodedHeader(key_id);
  keys_.push_back(TrustedKey{std::move(key_id), public_key, std::move(encoded_header)});
}

std::vector<std::string> Verifier::key_ids() const {
  std::vector<std::string> ids;
  ids.reserve(keys_.size());
  for (const TrustedKey& key : keys_) ids.push_back(key.key_id);
  return ids;
}

std::string Verifier::Jwks() const {
  std::string jwks = R"({"keys":[)";
  for (const TrustedKey& key : keys_) {
    if (&key != &keys_.front()) jwks += ',';
    jwks += PublicJwk(key.key_id, key.public_key);
  }
  jwks += "]}";
  return jwks;
}

const Verifier::TrustedKey* Verifier::FindKey(std::string_view key_id) const {
  for (const TrustedKey& key : keys_) {
    if (key.key_id == key_id) return &key;
  }
  return nullptr;
}

std::variant<const Verifier::TrustedKey*, VerifyError> Verifier::SelectKey(
    std::string_view encoded_header) const {
  // Our own signer's header for a trusted kid, byte for byte: nothing to decode or parse.
  for (const TrustedKey& key : keys_) {
    if (key.encoded_header == encoded_header) return &key;
  }

  const auto decoded = DecodeSegment(encoded_header);
  if (!decoded) return VerifyError::kMalformed;
  const Json header = Json::parse(*decoded, nullptr, /*allow_exceptions=*/false);
  if (!header.is_object()) return VerifyError::kMalformed;

  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || Text(*alg) != kAlgorithm) {
    return VerifyError::kUnsupportedAlgorithm;
  }
  // RFC 7515 §4.1.11: an extension we do not implement but are told is critical means reject.
  if (header.contains("crit")) return VerifyError::kUnsupportedHeader;
  if (const auto typ = header.find("typ");
      typ != header.end() && (!typ->is_string() || !EqualsIgnoreCase(Text(*typ), "JWT"))) {
    return VerifyError::kUnsupportedHeader;
  }

  const auto kid = header.find("kid");
  if (kid == header.end()) {
    if (keys_.size() == 1) return &keys_.front();
    return VerifyError::kUnknownKey;
  }
  if (!kid->is_string()) return VerifyError::kMalformed;
  const TrustedKey* key = FindKey(Text(*kid));
  if (key == nullptr) return VerifyError::kUnknownKey;
  return key;
}

VerifyResult Verifier::Verify(std::string_view token, Clock::time_point now) const {
  if (token.size() > kMaxTokenBytes) return VerifyError::kTooLarge;
  const auto first_dot = token.find('.');
  if (first_dot == std::string_view::npos) return VerifyError::kMalformed;
  const auto second_dot = token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
    return VerifyError::kMalformed;
  }
  const auto encoded_header = token.substr(0, first_dot);
  const auto encoded_payload = token.substr(first_dot + 1, second_dot - first_dot - 1);
  const auto encoded_signature = token.substr(second_dot + 1);

  const auto selected = SelectKey(encoded_header);
  if (const auto* error = std::get_if<VerifyError>(&selected)) return *error;
  const TrustedKey& key = *std::get<const TrustedKey*>(selected);

  // The payload is parsed only once the signature proves it is ours.
  std::array<unsigned char, kSignatureBytes> signature{};
  std::size_t length = 0;
  if (!DecodeInto(encoded_signature, signature.data(), signature.size(), length) ||
      length != kSignatureBytes) {
    return VerifyError::kBadSignature;
  }
  if (crypto_sign_ed25519_verify_detached(signature.data(),
                                          reinterpret_cast<const unsigned char*>(token.data()), second_dot,
                                          key.public_key.data()) != 0) {
    return VerifyError::kBadSignature;
  }

  const auto payload = DecodeSegment(encoded_payload);
  if (!payload) return VerifyError::kMalformed;
  const Json claims = Json::parse(*payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) return VerifyError::kMalformed;
  return CheckClaims(claims, now, issuer_, leeway_);
}

std::optional<std::string_view> BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer";
  authorization = Trim(authorization);
  if (authorization.size() <= kScheme.size() ||
      !EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme) ||
      authorization[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  const auto token = Trim(authorization.substr(kScheme.size()));
  if (token.empty() || token.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  return token;
}

}  // namespace microstore::auth
