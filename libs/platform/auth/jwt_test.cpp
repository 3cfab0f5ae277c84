#include "platform/auth/jwt.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>
#include <set>

#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"

namespace microstore::auth {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

const std::string kIssuer = "microstore-identity";
const Clock::time_point kNow = Clock::time_point(1'700'000'000s);

Seed TestSeed(unsigned char n) {
  Seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<unsigned char>(n * 31 + i);
  return seed;
}

std::int64_t Seconds(Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

Claims ValidClaims() {
  return Claims{"user-42", {Role::kCustomer}, "token-1", kIssuer, kNow - 1min, kNow + 15min};
}

Json ValidPayload() {
  return Json{{"sub", "user-42"}, {"roles", Json::array({"CUSTOMER"})}, {"jti", "token-1"},
              {"iss", kIssuer},   {"iat", Seconds(kNow - 1min)},        {"exp", Seconds(kNow + 15min)}};
}

std::string HeaderFor(std::string_view key_id) {
  return R"({"alg":"EdDSA","typ":"JWT","kid":")" + std::string(key_id) + R"("})";
}

// A compact JWS of arbitrary header and payload text, signed with `seed` independently of Signer:
// lets tests build validly signed tokens that Signer would never produce.
std::string SignRaw(std::string_view header, std::string_view payload, const Seed& seed) {
  core::EnsureSodium();
  std::array<unsigned char, crypto_sign_ed25519_PUBLICKEYBYTES> public_key{};
  std::array<unsigned char, crypto_sign_ed25519_SECRETKEYBYTES> secret_key{};
  crypto_sign_ed25519_seed_keypair(public_key.data(), secret_key.data(), seed.data());
  const std::string input = core::Base64UrlEncode(header) + "." + core::Base64UrlEncode(payload);
  std::array<unsigned char, crypto_sign_ed25519_BYTES> signature{};
  crypto_sign_ed25519_detached(signature.data(), nullptr,
                               reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                               secret_key.data());
  return input + "." + core::Base64UrlEncode(signature);
}

struct Parts {
  std::string header, payload, signature;  // still encoded
};

Parts Split(const std::string& token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  return {token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1)};
}

std::string Join(const Parts& parts) { return parts.header + "." + parts.payload + "." + parts.signature; }

std::string Decode(std::string_view text) { return core::Base64UrlDecode(text).value(); }

::testing::AssertionResult FailsWith(const VerifyResult& result, VerifyError expected) {
  if (const auto* principal = std::get_if<Principal>(&result)) {
    return ::testing::AssertionFailure() << "verified (subject " << principal->subject << ")";
  }
  const VerifyError actual = std::get<VerifyError>(result);
  if (actual != expected) {
    return ::testing::AssertionFailure()
           << "failed with \"" << Describe(actual) << "\" instead of \"" << Describe(expected) << "\"";
  }
  return ::testing::AssertionSuccess();
}

Principal Verified(const VerifyResult& result) {
  if (const auto* error = std::get_if<VerifyError>(&result)) {
    ADD_FAILURE() << "refused: " << Describe(*error);
    return {};
  }
  return std::get<Principal>(result);
}

class JwtTest : public ::testing::Test {
 protected:
  JwtTest() { verifier_.AddKey("k1", signer_.PublicKey()); }

  VerifyResult Verify(std::string_view token, Clock::time_point now = kNow) const {
    return verifier_.Verify(token, now);
  }
  // `payload` signed by k1 under k1's usual header.
  static std::string SignPayload(const Json& payload) {
    return SignRaw(HeaderFor("k1"), payload.dump(), TestSeed(1));
  }
  static std::string SignHeader(const std::string& header) {
    return SignRaw(header, ValidPayload().dump(), TestSeed(1));
  }

  Signer signer_{"k1", TestSeed(1)};
  Verifier verifier_{kIssuer};
};

// --- The happy path -----------------------------------------------------------------------------

TEST_F(JwtTest, SignedTokenVerifiesToItsClaims) {
  Claims claims = ValidClaims();
  claims.roles = {Role::kOperator, Role::kAdmin};
  claims.expires_at = kNow + 15min + 700ms;
  const Principal& principal = Verified(Verify(signer_.Sign(claims)));
  EXPECT_EQ(principal.subject, "user-42");
  EXPECT_EQ(principal.roles, RoleSet({Role::kOperator, Role::kAdmin}));
  EXPECT_EQ(principal.token_id, "token-1");
  EXPECT_EQ(principal.expires_at, kNow + 15min);  // NumericDate: whole seconds
}

TEST_F(JwtTest, EveryRoleAndNoRoleRoundTrip) {
  Claims claims = ValidClaims();
  claims.roles = {};
  claims.token_id = "";
  const std::string token = signer_.Sign(claims);
  const Principal& none = Verified(Verify(token));
  EXPECT_TRUE(none.roles.Empty());
  EXPECT_EQ(none.token_id, "");
  EXPECT_FALSE(Json::parse(Decode(Split(token).payload)).contains("jti"));
  for (Role role : kAllRoles) claims.roles.Add(role);
  EXPECT_EQ(Verified(Verify(signer_.Sign(claims))).roles, claims.roles);
}

TEST_F(JwtTest, TokenHasTheDocumentedShape) {
  const Parts parts = Split(signer_.Sign(ValidClaims()));
  EXPECT_EQ(Json::parse(Decode(parts.header)), Json::parse(R"({"alg":"EdDSA","typ":"JWT","kid":"k1"})"));
  const Json payload = Json::parse(Decode(parts.payload));
  EXPECT_EQ(payload, ValidPayload());
  EXPECT_TRUE(payload["exp"].is_number_integer());
  EXPECT_TRUE(payload["iat"].is_number_integer());
  EXPECT_EQ(Decode(parts.signature).size(), 64u);
  EXPECT_EQ(parts.signature.find('='), std::string::npos);
}

TEST_F(JwtTest, HeaderInAnotherFormStillVerifies) {
  // Not our signer's byte-exact header, so it takes the parsing path.
  const std::string token = SignHeader(R"({ "kid" : "k1", "typ" : "jwt", "alg" : "EdDSA" })");
  EXPECT_EQ(Verified(Verify(token)).subject, "user-42");
  EXPECT_EQ(Verified(Verify(SignHeader(R"({"alg":"EdDSA","kid":"k1"})"))).subject, "user-42");
}

// RFC 8037 appendix A: our key derivation and signature verification agree with the standard.
TEST(JwtInteropTest, Rfc8037Ed25519Vector) {
  const auto d = core::Base64UrlDecode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A").value();
  Seed seed{};
  std::copy(d.begin(), d.end(), seed.begin());
  const Signer signer("rfc", seed);
  EXPECT_EQ(core::Base64UrlEncode(signer.PublicKey()), "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");

  const std::string rfc_token =
      "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
  EXPECT_EQ(SignRaw(R"({"alg":"EdDSA"})", "Example of Ed25519 signing", seed), rfc_token);

  Verifier verifier(kIssuer);
  verifier.AddKey("rfc", signer.PublicKey());
  // The signature verifies; the payload is prose, not claims.
  EXPECT_TRUE(FailsWith(verifier.Verify(rfc_token, kNow), VerifyError::kMalformed));
  std::string tampered = rfc_token;
  tampered[30] = tampered[30] == 'A' ? 'B' : 'A';
  EXPECT_TRUE(FailsWith(verifier.Verify(tampered, kNow), VerifyError::kBadSignature));
}

// --- Time ----------------------------------------------------------------------------------------

TEST_F(JwtTest, ExpiredOnlyOnceTheLeewayHasPassed) {
  const std::string token = signer_.Sign(ValidClaims());
  const Clock::time_point exp = kNow + 15min;
  EXPECT_EQ(Verified(Verify(token, exp - 1s)).subject, "user-42");
  EXPECT_EQ(Verified(Verify(token, exp + 29s)).subject, "user-42");
  EXPECT_EQ(Verified(Verify(token, exp + 30s - 1ns)).subject, "user-42");
  EXPECT_TRUE(FailsWith(Verify(token, exp + 30s), VerifyError::kExpired));
  EXPECT_TRUE(FailsWith(Verify(token, exp + 24h), VerifyError::kExpired));
}

TEST_F(JwtTest, WithoutLeewayExpiresAtExp) {
  Verifier strict(kIssuer, 0s);
  strict.AddKey("k1", signer_.PublicKey());
  const std::string token = signer_.Sign(ValidClaims());
  EXPECT_EQ(Verified(strict.Verify(token, kNow + 15min - 1ns)).subject, "user-42");
  EXPECT_TRUE(FailsWith(strict.Verify(token, kNow + 15min), VerifyError::kExpired));
}

TEST_F(JwtTest, NotBeforeInTheFutureBeyondLeewayIsRefused) {
  Json payload = ValidPayload();
  payload["nbf"] = Seconds(kNow + 31s);
  EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kNotYetValid));
  EXPECT_EQ(Verified(Verify(SignPayload(payload), kNow + 1s)).subject, "user-42");
  payload["nbf"] = Seconds(kNow + 30s);
  EXPECT_EQ(Verified(Verify(SignPayload(payload))).subject, "user-42");
  payload["nbf"] = Seconds(kNow - 1h);
  EXPECT_EQ(Verified(Verify(SignPayload(payload))).subject, "user-42");
}

TEST_F(JwtTest, ExpiryMustBeAValidNumericDate) {
  Json payload = ValidPayload();
  payload.erase("exp");
  EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kMissingExpiry));
  for (const Json& bad :
       {Json(std::to_string(Seconds(kNow + 15min))), Json(nullptr), Json(true), Json::array(), Json::object(),
        Json(-1), Json(1e300), Json(10'000'000'000), Json(18446744073709551615u)}) {
    payload["exp"] = bad;
    EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kMissingExpiry)) << bad.dump();
  }
}

TEST_F(JwtTest, FractionalExpiryIsTruncated) {
  Json payload = ValidPayload();
  payload["exp"] = static_cast<double>(Seconds(kNow + 15min)) + 0.75;
  EXPECT_EQ(Verified(Verify(SignPayload(payload))).expires_at, kNow + 15min);
}

TEST_F(JwtTest, OtherTimeClaimsMustBeNumericDates) {
  for (const char* claim : {"nbf", "iat"}) {
    Json payload = ValidPayload();
    payload[claim] = "yesterday";
    EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kInvalidClaim)) << claim;
    payload[claim] = -5;
    EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kInvalidClaim)) << claim;
  }
}

// --- Signature -----------------------------------------------------------------------------------

TEST_F(JwtTest, TokenSignedByAnotherKeyIsRefused) {
  const Signer impostor("k1", TestSeed(2));
  EXPECT_TRUE(FailsWith(Verify(impostor.Sign(ValidClaims())), VerifyError::kBadSignature));
}

TEST_F(JwtTest, PayloadTamperedToAdminIsRefused) {
  Parts parts = Split(signer_.Sign(ValidClaims()));
  Json payload = Json::parse(Decode(parts.payload));
  payload["roles"] = Json::array({"ADMIN"});
  parts.payload = core::Base64UrlEncode(payload.dump());
  EXPECT_TRUE(FailsWith(Verify(Join(parts)), VerifyError::kBadSignature));
  // The same payload properly signed is accepted: only the signature stood in the way.
  EXPECT_TRUE(Verified(Verify(SignPayload(payload))).roles.Has(Role::kAdmin));
}

TEST_F(JwtTest, TamperedHeaderIsRefused) {
  Parts parts = Split(signer_.Sign(ValidClaims()));
  parts.header = core::Base64UrlEncode(R"({"alg":"EdDSA","typ":"JWT","kid":"k1","x5u":"https://evil"})");
  EXPECT_TRUE(FailsWith(Verify(Join(parts)), VerifyError::kBadSignature));

  // Pointing a k1 signature at another trusted key fails too.
  const Signer second("k2", TestSeed(2));
  verifier_.AddKey("k2", second.PublicKey());
  parts.header = core::Base64UrlEncode(HeaderFor("k2"));
  EXPECT_TRUE(FailsWith(Verify(Join(parts)), VerifyError::kBadSignature));
}

TEST_F(JwtTest, TamperedSignatureIsRefused) {
  Parts parts = Split(signer_.Sign(ValidClaims()));
  std::string signature = Decode(parts.signature);
  signature[10] = static_cast<char>(signature[10] ^ 0x01);
  parts.signature = core::Base64UrlEncode(signature);
  EXPECT_TRUE(FailsWith(Verify(Join(parts)), VerifyError::kBadSignature));

  Claims other = ValidClaims();
  other.subject = "user-43";
  parts = Split(signer_.Sign(ValidClaims()));
  parts.signature = Split(signer_.Sign(other)).signature;
  EXPECT_TRUE(FailsWith(Verify(Join(parts)), VerifyError::kBadSignature));
}

TEST_F(JwtTest, TruncatedTokenIsRefused) {
  const std::string token = signer_.Sign(ValidClaims());
  const Parts parts = Split(token);
  EXPECT_TRUE(FailsWith(Verify(token.substr(0, token.size() - 1)), VerifyError::kBadSignature));
  EXPECT_TRUE(FailsWith(Verify(token.substr(0, token.size() - 4)), VerifyError::kBadSignature));
  EXPECT_TRUE(FailsWith(Verify(parts.header + "." + parts.payload + "."), VerifyError::kBadSignature));
  EXPECT_TRUE(FailsWith(Verify(parts.header + "." + parts.payload), VerifyError::kMalformed));
  EXPECT_TRUE(FailsWith(Verify(parts.header), VerifyError::kMalformed));
  EXPECT_TRUE(FailsWith(Verify(token.substr(0, parts.header.size() + 10)), VerifyError::kMalformed));
}

TEST_F(JwtTest, SignatureMustBeStrictBase64Url) {
  const Parts parts = Split(signer_.Sign(ValidClaims()));
  EXPECT_TRUE(FailsWith(Verify(Join(parts) + "=="), VerifyError::kBadSignature));
  std::string standard_alphabet = parts.signature;
  for (char& c : standard_alphabet) c = c == '-' ? '+' : c == '_' ? '/' : c;
  if (standard_alphabet != parts.signature) {
    EXPECT_TRUE(FailsWith(Verify(parts.header + "." + parts.payload + "." + standard_alphabet),
                          VerifyError::kBadSignature));
  }
}

// Any change to any single character must be caught, whatever the character and wherever it is
// (including the unused low bits of the last signature character).
TEST_F(JwtTest, EverySingleCharacterChangeIsRefused) {
  const std::string token = signer_.Sign(ValidClaims());
  int changes = 0;
  for (std::size_t i = 0; i < token.size(); ++i) {
    for (char replacement : {'A', 'h', '_', '.', '='}) {
      if (token[i] == replacement) continue;
      std::string changed = token;
      changed[i] = replacement;
      ++changes;
      EXPECT_FALSE(std::holds_alternative<Principal>(Verify(changed)))
          << "position " << i << " -> " << replacement;
    }
    EXPECT_FALSE(std::holds_alternative<Principal>(Verify(token.substr(0, i) + token.substr(i + 1))))
        << "without position " << i;
  }
  EXPECT_GT(changes, 1000);
}

// --- Algorithm and header ------------------------------------------------------------------------

TEST_F(JwtTest, AlgNoneWithEmptySignatureIsRefused) {
  const std::string payload = core::Base64UrlEncode(ValidPayload().dump());
  for (const char* header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"none","typ":"JWT","kid":"k1"})",
                             R"({"alg":"None"})", R"({"alg":"NONE"})", R"({"alg":"nOnE"})"}) {
    const std::string token = core::Base64UrlEncode(header) + "." + payload + ".";
    EXPECT_TRUE(FailsWith(Verify(token), VerifyError::kUnsupportedAlgorithm)) << header;
  }
}

// The classic confusion attack: HMAC the token with the (public) verification key as secret.
TEST_F(JwtTest, Hs256SignedWithThePublicKeyIsRefused) {
  const std::string input = core::Base64UrlEncode(R"({"alg":"HS256","typ":"JWT","kid":"k1"})") + "." +
                            core::Base64UrlEncode(ValidPayload().dump());
  const PublicKeyBytes& key = signer_.PublicKey();
  const std::string key_text = core::Base64UrlEncode(key);
  for (const std::string& secret : {std::string(key.begin(), key.end()), key_text, signer_.Jwk()}) {
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    crypto_auth_hmacsha256_final(&state, mac.data());
    EXPECT_TRUE(
        FailsWith(Verify(input + "." + core::Base64UrlEncode(mac)), VerifyError::kUnsupportedAlgorithm));
  }
}

// Properly Ed25519-signed by a trusted key, so only the algorithm check can refuse these.
TEST_F(JwtTest, AnyAlgorithmButEdDsaIsRefusedEvenWhenTheSignatureIsGood) {
  for (const char* header :
       {R"({"alg":"HS256","kid":"k1"})", R"({"alg":"RS256","kid":"k1"})", R"({"alg":"ES256","kid":"k1"})",
        R"({"alg":"none","kid":"k1"})", R"({"alg":"eddsa","kid":"k1"})", R"({"alg":"Ed25519","kid":"k1"})",
        R"({"alg":"EdDSA ","kid":"k1"})", R"({"alg":["EdDSA"],"kid":"k1"})", R"({"alg":null,"kid":"k1"})",
        R"({"kid":"k1"})", R"({"typ":"JWT"})"}) {
    EXPECT_TRUE(FailsWith(Verify(SignHeader(header)), VerifyError::kUnsupportedAlgorithm)) << header;
  }
}

TEST_F(JwtTest, CriticalExtensionsAndOtherTypesAreRefused) {
  EXPECT_TRUE(FailsWith(Verify(SignHeader(R"({"alg":"EdDSA","kid":"k1","crit":["exp"],"exp":1})")),
                        VerifyError::kUnsupportedHeader));
  EXPECT_TRUE(FailsWith(Verify(SignHeader(R"({"alg":"EdDSA","kid":"k1","b64":false,"crit":["b64"]})")),
                        VerifyError::kUnsupportedHeader));
  for (const char* typ : {R"("JOSE+JSON")", R"("JWS")", "1", "null"}) {
    const std::string header = std::string(R"({"alg":"EdDSA","kid":"k1","typ":)") + typ + "}";
    EXPECT_TRUE(FailsWith(Verify(SignHeader(header)), VerifyError::kUnsupportedHeader)) << header;
  }
}

TEST_F(JwtTest, HeaderMustBeAJsonObject) {
  for (const char* header : {"", "[]", R"("EdDSA")", "{", R"({"alg":"EdDSA",})", "null"}) {
    const std::string token = SignRaw(header, ValidPayload().dump(), TestSeed(1));
    EXPECT_TRUE(FailsWith(Verify(token), VerifyError::kMalformed)) << header;
  }
  EXPECT_TRUE(FailsWith(Verify(SignHeader(R"({"alg":"EdDSA","kid":7})")), VerifyError::kMalformed));
}

// --- Keys ----------------------------------------------------------------------------------------

TEST_F(JwtTest, UnknownKidIsRefused) {
  // Same key material under an id we do not trust: the kid alone must refuse it.
  const Signer renamed("k9", TestSeed(1));
  EXPECT_TRUE(FailsWith(Verify(renamed.Sign(ValidClaims())), VerifyError::kUnknownKey));
  EXPECT_TRUE(FailsWith(Verify(SignHeader(R"({"alg":"EdDSA","kid":"K1"})")), VerifyError::kUnknownKey));
  EXPECT_TRUE(FailsWith(Verify(SignHeader(R"({"alg":"EdDSA","kid":""})")), VerifyError::kUnknownKey));
}

TEST_F(JwtTest, MissingKidUsesTheOnlyKeyButIsAmbiguousWithSeveral) {
  const std::string token = SignHeader(R"({"alg":"EdDSA","typ":"JWT"})");
  EXPECT_EQ(Verified(Verify(token)).subject, "user-42");
  verifier_.AddKey("k2", Signer("k2", TestSeed(2)).PublicKey());
  EXPECT_TRUE(FailsWith(Verify(token), VerifyError::kUnknownKey));
}

TEST_F(JwtTest, KeysEmbeddedInTheHeaderAreNotTrusted) {
  const Signer attacker("attacker", TestSeed(9));
  const Json jwk = Json::parse(attacker.Jwk());
  Json header = {{"alg", "EdDSA"}, {"jwk", jwk}};
  EXPECT_TRUE(FailsWith(Verify(SignRaw(header.dump(), ValidPayload().dump(), TestSeed(9))),
                        VerifyError::kBadSignature));
  header["kid"] = "attacker";
  EXPECT_TRUE(FailsWith(Verify(SignRaw(header.dump(), ValidPayload().dump(), TestSeed(9))),
                        VerifyError::kUnknownKey));
}

TEST_F(JwtTest, NoTrustedKeysRefusesEverything) {
  const Verifier empty(kIssuer);
  EXPECT_TRUE(FailsWith(empty.Verify(signer_.Sign(ValidClaims()), kNow), VerifyError::kUnknownKey));
  EXPECT_TRUE(FailsWith(empty.Verify(SignHeader(R"({"alg":"EdDSA"})"), kNow), VerifyError::kUnknownKey));
}

TEST(JwtRotationTest, OldAndNewKeysBothVerify) {
  const Signer old_signer("2024-01", TestSeed(1));
  const Signer new_signer("2024-07", TestSeed(2));
  const Signer retired("2023-07", TestSeed(3));
  const std::string config = "2024-01:" + core::Base64UrlEncode(old_signer.PublicKey()) +
                             ", 2024-07:" + core::Base64UrlEncode(new_signer.PublicKey());
  auto parsed = Verifier::FromConfig(config, kIssuer);
  ASSERT_TRUE(std::holds_alternative<Verifier>(parsed)) << std::get<KeyConfigError>(parsed).message;
  const Verifier& verifier = std::get<Verifier>(parsed);
  EXPECT_THAT(verifier.key_ids(), ::testing::ElementsAre("2024-01", "2024-07"));

  EXPECT_EQ(Verified(verifier.Verify(old_signer.Sign(ValidClaims()), kNow)).subject, "user-42");
  EXPECT_EQ(Verified(verifier.Verify(new_signer.Sign(ValidClaims()), kNow)).subject, "user-42");
  EXPECT_TRUE(FailsWith(verifier.Verify(retired.Sign(ValidClaims()), kNow), VerifyError::kUnknownKey));
  const Signer new_key_old_name("2024-01", TestSeed(2));
  EXPECT_TRUE(
      FailsWith(verifier.Verify(new_key_old_name.Sign(ValidClaims()), kNow), VerifyError::kBadSignature));
}

// --- Claims --------------------------------------------------------------------------------------

TEST_F(JwtTest, WrongOrMissingIssuerIsRefused) {
  Claims claims = ValidClaims();
  claims.issuer = "someone-else";
  EXPECT_TRUE(FailsWith(Verify(signer_.Sign(claims)), VerifyError::kWrongIssuer));
  Json payload = ValidPayload();
  for (const Json& bad :
       {Json(kIssuer + " "), Json("MICROSTORE-IDENTITY"), Json(""), Json(7), Json::array({kIssuer})}) {
    payload["iss"] = bad;
    EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kWrongIssuer)) << bad.dump();
  }
  payload.erase("iss");
  EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kWrongIssuer));
}

TEST_F(JwtTest, MissingSubjectIsRefused) {
  Json payload = ValidPayload();
  payload.erase("sub");
  EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kMissingSubject));
  for (const Json& bad : {Json(""), Json(42), Json(nullptr), Json::array({"user-42"})}) {
    payload["sub"] = bad;
    EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kMissingSubject)) << bad.dump();
  }
}

TEST_F(JwtTest, RolesMustBeAnArrayOfKnownRoleNames) {
  Json payload = ValidPayload();
  payload.erase("roles");
  EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kBadRoles));
  for (const Json& bad :
       {Json("ADMIN"), Json(nullptr), Json(1), Json::object({{"ADMIN", true}}), Json::array({"SUPERUSER"}),
        Json::array({"CUSTOMER", "SUPERUSER"}), Json::array({"admin"}), Json::array({1}),
        Json::array({Json::array({"ADMIN"})}), Json::array({nullptr})}) {
    payload["roles"] = bad;
    EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kBadRoles)) << bad.dump();
  }
  payload["roles"] = Json::array({"STOCK_OPERATOR", "ADMIN", "STOCK_OPERATOR"});
  EXPECT_EQ(Verified(Verify(SignPayload(payload))).roles, RoleSet({Role::kStockOperator, Role::kAdmin}));
  payload["roles"] = Json::array();
  EXPECT_TRUE(Verified(Verify(SignPayload(payload))).roles.Empty());
}

TEST_F(JwtTest, TokenIdIsOptionalButMustBeText) {
  Json payload = ValidPayload();
  payload.erase("jti");
  EXPECT_EQ(Verified(Verify(SignPayload(payload))).token_id, "");
  payload["jti"] = 17;
  EXPECT_TRUE(FailsWith(Verify(SignPayload(payload)), VerifyError::kInvalidClaim));
}

TEST_F(JwtTest, UnknownClaimsAreIgnored) {
  Json payload = ValidPayload();
  payload["aud"] = "somewhere";
  payload["email"] = "a@example.com";
  EXPECT_EQ(Verified(Verify(SignPayload(payload))).subject, "user-42");
}

TEST_F(JwtTest, PayloadMustBeAJsonObject) {
  for (const char* payload : {"[]", R"("claims")", "42", "{", "not json", "{\"sub\":\"\xff\"}", "{}{}"}) {
    const std::string token = SignRaw(HeaderFor("k1"), payload, TestSeed(1));
    EXPECT_TRUE(FailsWith(Verify(token), VerifyError::kMalformed)) << payload;
  }
  const Parts parts = Split(SignRaw(HeaderFor("k1"), "", TestSeed(1)));
  EXPECT_TRUE(FailsWith(Verify(Join(parts)), VerifyError::kMalformed));
}

// --- Garbage -------------------------------------------------------------------------------------

TEST_F(JwtTest, GarbageIsMalformed) {
  const std::string token = signer_.Sign(ValidClaims());
  for (const std::string& garbage :
       {std::string(), std::string("."), std::string(".."), std::string("..."), std::string("a.b.c"),
        std::string("a.b"), std::string("a.b.c.d"), std::string("Bearer ") + token, " " + token,
        "!!!." + token, token + "." + Split(token).signature, std::string(token.size(), '.'),
        std::string("\0.\0.\0", 5)}) {
    const VerifyResult result = Verify(garbage);
    ASSERT_TRUE(std::holds_alternative<VerifyError>(result)) << garbage;
    EXPECT_TRUE(FailsWith(result, VerifyError::kMalformed)) << garbage;
  }
  EXPECT_FALSE(std::holds_alternative<Principal>(Verify(token + " ")));
  EXPECT_FALSE(std::holds_alternative<Principal>(Verify(token + "\n")));
}

TEST_F(JwtTest, PaddedSegmentsAreRefused) {
  // Encodings whose length is not a multiple of four, so padding would apply.
  const Parts parts = Split(signer_.Sign(ValidClaims()));
  EXPECT_FALSE(
      std::holds_alternative<Principal>(Verify(parts.header + "=." + parts.payload + "." + parts.signature)));
  EXPECT_FALSE(
      std::holds_alternative<Principal>(Verify(parts.header + "." + parts.payload + "=." + parts.signature)));
}

TEST_F(JwtTest, OversizeTokenIsRefusedEvenWhenValid) {
  Claims claims = ValidClaims();
  claims.token_id = std::string(5900, 'x');
  const std::string near_limit = signer_.Sign(claims);
  ASSERT_LE(near_limit.size(), Verifier::kMaxTokenBytes);
  ASSERT_GT(near_limit.size(), Verifier::kMaxTokenBytes - 200);
  EXPECT_EQ(Verified(Verify(near_limit)).token_id.size(), 5900u);

  claims.token_id = std::string(6200, 'x');
  const std::string over_limit = signer_.Sign(claims);
  ASSERT_GT(over_limit.size(), Verifier::kMaxTokenBytes);
  EXPECT_TRUE(FailsWith(Verify(over_limit), VerifyError::kTooLarge));
  EXPECT_TRUE(FailsWith(Verify(std::string(1 << 20, 'A')), VerifyError::kTooLarge));
  EXPECT_TRUE(FailsWith(Verify(std::string(Verifier::kMaxTokenBytes + 1, '.')), VerifyError::kTooLarge));
}

TEST(VerifyErrorTest, DescriptionsAreShortDistinctAndGeneric) {
  std::set<std::string_view> seen;
  for (int i = 0; i <= static_cast<int>(VerifyError::kInvalidClaim); ++i) {
    const std::string_view text = Describe(static_cast<VerifyError>(i));
    EXPECT_FALSE(text.empty());
    EXPECT_LT(text.size(), 40u);
    EXPECT_TRUE(text.starts_with("token ")) << text;
    EXPECT_TRUE(seen.insert(text).second) << "duplicate: " << text;
  }
}

// --- Configuration -------------------------------------------------------------------------------

std::string ConfigError(std::string_view public_keys, std::string issuer = kIssuer) {
  auto parsed = Verifier::FromConfig(public_keys, std::move(issuer));
  if (const auto* error = std::get_if<KeyConfigError>(&parsed)) return error->message;
  return "(accepted)";
}

std::string SignerConfigError(std::string_view text) {
  auto parsed = Signer::FromConfig(text);
  if (const auto* error = std::get_if<KeyConfigError>(&parsed)) return error->message;
  return "(accepted)";
}

TEST(VerifierConfigTest, BareKeyMeansKidDefault) {
  const Signer signer("default", TestSeed(1));
  auto parsed = Verifier::FromConfig("  " + core::Base64UrlEncode(signer.PublicKey()) + "\n", kIssuer);
  ASSERT_TRUE(std::holds_alternative<Verifier>(parsed)) << std::get<KeyConfigError>(parsed).message;
  const Verifier& verifier = std::get<Verifier>(parsed);
  EXPECT_THAT(verifier.key_ids(), ::testing::ElementsAre("default"));
  EXPECT_EQ(verifier.issuer(), kIssuer);
  EXPECT_EQ(verifier.leeway(), 30s);
  EXPECT_EQ(Verified(verifier.Verify(signer.Sign(ValidClaims()), kNow)).subject, "user-42");
}

TEST(VerifierConfigTest, ReportsWhatIsWrongWithoutEchoingKeys) {
  const std::string key = core::Base64UrlEncode(Signer("k", TestSeed(1)).PublicKey());
  const std::string other = core::Base64UrlEncode(Signer("k", TestSeed(2)).PublicKey());
  EXPECT_THAT(ConfigError(""), HasSubstr("no public keys"));
  EXPECT_THAT(ConfigError(" \n"), HasSubstr("no public keys"));
  EXPECT_THAT(ConfigError("k1:" + key, ""), HasSubstr("issuer is empty"));
  EXPECT_THAT(ConfigError("k1:" + key + ","), HasSubstr("entry 2 is empty"));
  EXPECT_THAT(ConfigError("k1:" + key + ",," + "k2:" + other), HasSubstr("entry 2 is empty"));
  EXPECT_THAT(ConfigError("k1:" + key + "," + other), HasSubstr("entry 2 has no key id"));
  EXPECT_THAT(ConfigError("k1:" + key + ",k1:" + other), HasSubstr("\"k1\" is given twice"));
  EXPECT_THAT(ConfigError("bad kid:" + key), HasSubstr("entry 1: the key id must be"));
  EXPECT_THAT(ConfigError(":" + key), HasSubstr("entry 1: the key id must be"));
  EXPECT_THAT(ConfigError(std::string(65, 'k') + ":" + key), HasSubstr("the key id must be"));
  EXPECT_THAT(ConfigError("k1:" + key.substr(1)), HasSubstr("\"k1\" must be 32 bytes"));
  EXPECT_THAT(ConfigError("k1:" + key + "AAAA"), HasSubstr("\"k1\" must be 32 bytes"));
  EXPECT_THAT(ConfigError("k1:" + key + "="), HasSubstr("\"k1\" must be 32 bytes"));
  EXPECT_THAT(ConfigError("k1:" + std::string(43, '*')), HasSubstr("\"k1\" must be 32 bytes"));
  EXPECT_THAT(ConfigError("k1:"), HasSubstr("\"k1\" must be 32 bytes"));
  // All zero bytes encode a point of small order, useless (and dangerous) as a public key.
  EXPECT_THAT(ConfigError("k1:" + core::Base64UrlEncode(std::string(32, '\0'))),
              HasSubstr("\"k1\" is not a valid Ed25519 public key"));
  const std::string message = ConfigError("k1:" + key.substr(1) + ",k2:" + other);
  EXPECT_THAT(message, HasSubstr("\"k1\" must be 32 bytes"));
  EXPECT_THAT(message, Not(HasSubstr(key.substr(1, 12))));
  EXPECT_EQ(ConfigError(" k1 : " + key + " , k2:" + other + " "), "(accepted)");
}

TEST(SignerConfigTest, ParsesKidAndSeed) {
  const std::string seed = core::Base64UrlEncode(TestSeed(1));
  auto parsed = Signer::FromConfig(" 2024-07:" + seed + "\n");
  ASSERT_TRUE(std::holds_alternative<Signer>(parsed)) << std::get<KeyConfigError>(parsed).message;
  const Signer& signer = std::get<Signer>(parsed);
  EXPECT_EQ(signer.key_id(), "2024-07");
  EXPECT_EQ(signer.PublicKey(), Signer("x", TestSeed(1)).PublicKey());

  auto bare = Signer::FromConfig(seed);
  ASSERT_TRUE(std::holds_alternative<Signer>(bare));
  EXPECT_EQ(std::get<Signer>(bare).key_id(), "default");
}

TEST(SignerConfigTest, ReportsWhatIsWrongWithoutEchoingTheSeed) {
  const std::string seed = core::Base64UrlEncode(TestSeed(1));
  EXPECT_THAT(SignerConfigError(""), HasSubstr("no signing key"));
  EXPECT_THAT(SignerConfigError("k1:" + seed + ",k2:" + seed), HasSubstr("only one signing key"));
  EXPECT_THAT(SignerConfigError("k 1:" + seed), HasSubstr("key id must be"));
  for (const std::string& bad : {seed.substr(2), seed + "AAAA", seed + "=", seed.substr(0, 42) + "!",
                                 core::Base64UrlEncode(std::string(64, 'x'))}) {
    const std::string message = SignerConfigError("k1:" + bad);
    EXPECT_THAT(message, HasSubstr("signing key \"k1\": the seed must be 32 bytes")) << bad;
    EXPECT_THAT(message, Not(HasSubstr(bad.substr(0, 8))));
  }
}

TEST(SignerTest, JwkDescribesThePublicKey) {
  const Signer signer("k1", TestSeed(1));
  const Json jwk = Json::parse(signer.Jwk());
  EXPECT_EQ(jwk, Json::parse(R"({"kty":"OKP","crv":"Ed25519","kid":"k1","alg":"EdDSA","use":"sig","x":")" +
                             core::Base64UrlEncode(signer.PublicKey()) + R"("})"));
  EXPECT_FALSE(jwk.contains("d"));

  Verifier verifier(kIssuer);
  verifier.AddKey("k1", signer.PublicKey());
  verifier.AddKey("k2", Signer("k2", TestSeed(2)).PublicKey());
  const Json jwks = Json::parse(verifier.Jwks());
  ASSERT_EQ(jwks["keys"].size(), 2u);
  EXPECT_EQ(jwks["keys"][0], jwk);
  EXPECT_EQ(jwks["keys"][1]["kid"], "k2");
  EXPECT_EQ(Json::parse(Verifier(kIssuer).Jwks()), Json::parse(R"({"keys":[]})"));
}

TEST(SignerTest, MovedSignerKeepsSigning) {
  Signer original("k1", TestSeed(1));
  const PublicKeyBytes key = original.PublicKey();
  Signer moved = std::move(original);
  Verifier verifier(kIssuer);
  verifier.AddKey("k1", key);
  EXPECT_EQ(Verified(verifier.Verify(moved.Sign(ValidClaims()), kNow)).subject, "user-42");
}

// --- Authorization header ------------------------------------------------------------------------

TEST(BearerTokenTest, ExtractsTheToken) {
  EXPECT_EQ(BearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(BearerToken("bearer abc"), "abc");
  EXPECT_EQ(BearerToken("BEARER   abc  "), "abc");
  for (const char* bad : {"", "Bearer", "Bearer ", "Bearer  ", "Bearerabc", "Basic abc", "Bearer a b",
                          "Token abc", "Bearer\tabc"}) {
    EXPECT_EQ(BearerToken(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace microstore::auth
