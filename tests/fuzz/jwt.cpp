// Token verification (auth::Verifier::Verify) and the bearer credential (auth::BearerToken), with
// fixed test keys. The first line of an input says what the rest is:
//   token    a compact JWS as a client sends it
//   bearer   an Authorization header value: BearerToken, then Verify
//   claims   the payload bytes of a token we sign properly (our header): reaches the claim checks
//   signed   "<header bytes>\n<payload bytes>", signed with the test key: reaches header parsing
// Invariants: Verify never throws; whatever it accepts verifies with a trusted key independently
// of the Verifier (libsodium on the signing input) and is unexpired with a subject and known
// roles; a token we signed ourselves is never refused for its signature, and its claims decide
// exactly as nlohmann reads them (exp, iss, sub).
#include <sodium.h>

#include <array>
#include <chrono>
#include <nlohmann/json.hpp>

#include "platform/auth/jwt.hpp"
#include "platform/core/encoding.hpp"
#include "support.hpp"

namespace {

namespace auth = microstore::auth;
using microstore::core::Base64UrlEncode;
using nlohmann::json;

constexpr const char* kIssuer = "microstore-identity";
// 2026-11-23T10:00:00Z: the seeds' tokens expire after it.
const auth::Clock::time_point kNow{std::chrono::seconds(1795428000)};

struct Key {
  std::array<unsigned char, crypto_sign_ed25519_PUBLICKEYBYTES> public_key{};
  std::array<unsigned char, crypto_sign_ed25519_SECRETKEYBYTES> secret_key{};
};

Key MakeKey(unsigned char fill) {
  Key key;
  std::array<unsigned char, crypto_sign_ed25519_SEEDBYTES> seed{};
  seed.fill(fill);
  crypto_sign_ed25519_seed_keypair(key.public_key.data(), key.secret_key.data(), seed.data());
  return key;
}

struct Fixture {
  Key main = MakeKey(0x11);   // kid "fuzz"
  Key other = MakeKey(0x22);  // kid "other", trusted by `two` only
  auth::Verifier one{kIssuer};
  auth::Verifier two{kIssuer};

  Fixture() {
    if (sodium_init() < 0) std::abort();
    one.AddKey("fuzz", main.public_key);
    two.AddKey("fuzz", main.public_key);
    two.AddKey("other", other.public_key);
  }
};

const Fixture& Keys() {
  static const Fixture fixture;
  return fixture;
}

std::string Sign(const Key& key, std::string_view header, std::string_view payload) {
  std::string token = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
  std::array<unsigned char, crypto_sign_ed25519_BYTES> signature{};
  crypto_sign_ed25519_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(token.data()),
                               token.size(), key.secret_key.data());
  return token + "." + Base64UrlEncode(std::span<const unsigned char>(signature));
}

// Whether `token` is header.payload.signature whose signature verifies with `key`, read the
// strict way (one encoding per signature), without the Verifier.
bool SignedBy(std::string_view token, const Key& key) {
  const auto last_dot = token.rfind('.');
  if (last_dot == std::string_view::npos) return false;
  const std::string_view encoded = token.substr(last_dot + 1);
  std::array<unsigned char, crypto_sign_ed25519_BYTES> signature{};
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(signature.data(), signature.size(), encoded.data(), encoded.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != encoded.data() + encoded.size() || length != signature.size()) {
    return false;
  }
  return crypto_sign_ed25519_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(token.data()),
                                             last_dot, key.public_key.data()) == 0;
}

void CheckAccepted(std::string_view token, const auth::Principal& principal, bool other_trusted) {
  const Fixture& keys = Keys();
  FUZZ_CHECK(SignedBy(token, keys.main) || (other_trusted && SignedBy(token, keys.other)),
             "accepted a token that no trusted key signed");
  FUZZ_CHECK(!principal.subject.empty(), "accepted a token without a subject");
  FUZZ_CHECK(kNow - auth::Verifier::kDefaultLeeway < principal.expires_at, "accepted an expired token");
  for (const auto& name : principal.roles.ToStrings()) FUZZ_CHECK(auth::ParseRole(name).has_value());
}

auth::VerifyResult Verify(const auth::Verifier& verifier, std::string_view token, bool other_trusted) {
  auto result = verifier.Verify(token, kNow);
  if (const auto* principal = std::get_if<auth::Principal>(&result)) {
    CheckAccepted(token, *principal, other_trusted);
  } else {
    FUZZ_CHECK(!auth::Describe(std::get<auth::VerifyError>(result)).empty());
  }
  return result;
}

void VerifyBoth(std::string_view token) {
  const auto one = Verify(Keys().one, token, false);
  const auto two = Verify(Keys().two, token, true);
  // Trusting one more key never makes a token signed with the first one invalid, except that a
  // header without kid names a key only while there is one.
  if (std::holds_alternative<auth::Principal>(one) && !std::holds_alternative<auth::Principal>(two)) {
    FUZZ_CHECK(std::get<auth::VerifyError>(two) == auth::VerifyError::kUnknownKey,
               std::string("a second key refuses a valid token: ") +
                   std::string(auth::Describe(std::get<auth::VerifyError>(two))));
  }
}

// A token we signed with the main key: its signature is never the problem, and its claims decide.
void CheckSelfSigned(std::string_view header, std::string_view payload, bool our_header) {
  const std::string token = Sign(Keys().main, header, payload);
  if (token.size() > auth::Verifier::kMaxTokenBytes) {
    FUZZ_CHECK(std::get<auth::VerifyError>(Keys().one.Verify(token, kNow)) == auth::VerifyError::kTooLarge);
    return;
  }
  const auto result = Verify(Keys().one, token, false);
  if (const auto* error = std::get_if<auth::VerifyError>(&result)) {
    FUZZ_CHECK(*error != auth::VerifyError::kBadSignature, "a token signed with the trusted key has a bad signature");
    if (our_header) {
      FUZZ_CHECK(*error != auth::VerifyError::kUnsupportedAlgorithm && *error != auth::VerifyError::kUnknownKey &&
                     *error != auth::VerifyError::kUnsupportedHeader,
                 "our own header refused");
    }
  }
  if (!our_header) return;
  // The claims as nlohmann reads them: what Verify must have decided on.
  const json claims = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) {
    FUZZ_CHECK(std::holds_alternative<auth::VerifyError>(result), "accepted claims that are not a JSON object");
    return;
  }
  if (const auto* principal = std::get_if<auth::Principal>(&result)) {
    FUZZ_CHECK(claims.contains("iss") && claims["iss"] == kIssuer, "accepted another issuer");
    FUZZ_CHECK(claims.contains("sub") && claims["sub"].is_string() && claims["sub"] == principal->subject,
               "the subject is not the claims' sub");
    FUZZ_CHECK(claims.contains("exp") && claims["exp"].is_number(), "accepted without a numeric exp");
    FUZZ_CHECK(claims.contains("roles") && claims["roles"].is_array());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const kKinds[] = {"token", "bearer", "claims", "signed"};
  const auto [kind, rest] = microstore::fuzz::Select(microstore::fuzz::AsText(data, size), kKinds);
  return microstore::fuzz::Guarded([&, kind = kind, rest = rest] {
    switch (kind) {
      case 0:
        VerifyBoth(rest);
        break;
      case 1:
        if (const auto token = auth::BearerToken(rest)) {
          FUZZ_CHECK(!token->empty() && token->find_first_of(" \t") == std::string_view::npos,
                     "BearerToken gave an empty token or one with blanks");
          FUZZ_CHECK(rest.find(*token) != std::string_view::npos);
          VerifyBoth(*token);
        }
        break;
      case 2:
        CheckSelfSigned(R"({"alg":"EdDSA","typ":"JWT","kid":"fuzz"})", rest, true);
        break;
      case 3: {
        const auto newline = rest.find('\n');
        const std::string_view header = rest.substr(0, newline);
        const std::string_view payload = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
        CheckSelfSigned(header, payload, false);
        break;
      }
    }
  });
}
