#include "platform/auth/keys.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "platform/auth/jwt.hpp"
#include "platform/core/encoding.hpp"

namespace microstore::auth {
namespace {

using Json = nlohmann::json;

PublicKeyBytes Rfc8037PublicKey() {
  const auto x = core::Base64UrlDecode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo").value();
  PublicKeyBytes key{};
  std::copy(x.begin(), x.end(), key.begin());
  return key;
}

TEST(KeyIdTest, AllowsOnlyShellAndListSafeCharacters) {
  for (const char* ok :
       {"a", "default", "2024-07", "k_1.B-z", "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"}) {
    EXPECT_TRUE(IsValidKeyId(ok)) << ok;
  }
  EXPECT_TRUE(IsValidKeyId(std::string(64, 'k')));
  EXPECT_FALSE(IsValidKeyId(std::string(65, 'k')));
  for (const char* bad : {"", "a b", "a:b", "a,b", "a\"b", "a/b", "a=b", "ключ", "a\n"}) {
    EXPECT_FALSE(IsValidKeyId(bad)) << bad;
  }
}

TEST(KeysTest, DerivesThePublicKeyOfAnRfc8037Seed) {
  const auto d = core::Base64UrlDecode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A").value();
  Seed seed{};
  std::copy(d.begin(), d.end(), seed.begin());
  EXPECT_EQ(DerivePublicKey(seed), Rfc8037PublicKey());
}

TEST(KeysTest, ThumbprintMatchesRfc8037) {
  EXPECT_EQ(Thumbprint(Rfc8037PublicKey()), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST(KeysTest, PublicJwkHasExactlyThePublicMembers) {
  const Json jwk = Json::parse(PublicJwk("k1", Rfc8037PublicKey()));
  EXPECT_EQ(jwk,
            Json::parse(R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                                 "kid":"k1","alg":"EdDSA","use":"sig"})"));
}

TEST(KeysTest, GeneratedPairIsUsableAndNamedByThumbprint) {
  const GeneratedKeyPair pair = GenerateKeyPair();
  EXPECT_EQ(pair.seed.size(), 43u);
  EXPECT_EQ(pair.public_key.size(), 43u);
  const auto public_key = core::Base64UrlDecode(pair.public_key).value();
  PublicKeyBytes key{};
  std::copy(public_key.begin(), public_key.end(), key.begin());
  EXPECT_EQ(pair.key_id, Thumbprint(key));
  EXPECT_TRUE(IsValidKeyId(pair.key_id));

  auto signer = Signer::FromConfig(pair.key_id + ":" + pair.seed);
  ASSERT_TRUE(std::holds_alternative<Signer>(signer));
  EXPECT_EQ(std::get<Signer>(signer).PublicKey(), key);
  auto verifier = Verifier::FromConfig(pair.key_id + ":" + pair.public_key, "issuer");
  ASSERT_TRUE(std::holds_alternative<Verifier>(verifier));
  const auto now = Clock::time_point(std::chrono::seconds(1'700'000'000));
  const Claims claims{"user", {Role::kAdmin}, "jti", "issuer", now, now + std::chrono::minutes(5)};
  const auto result = std::get<Verifier>(verifier).Verify(std::get<Signer>(signer).Sign(claims), now);
  ASSERT_TRUE(std::holds_alternative<Principal>(result));
  EXPECT_TRUE(std::get<Principal>(result).roles.Has(Role::kAdmin));
}

TEST(KeysTest, GeneratedPairsDifferAndKeepAGivenKid) {
  const GeneratedKeyPair first = GenerateKeyPair("2024-07");
  const GeneratedKeyPair second = GenerateKeyPair("2024-07");
  EXPECT_EQ(first.key_id, "2024-07");
  EXPECT_NE(first.seed, second.seed);
  EXPECT_NE(first.public_key, second.public_key);
}

}  // namespace
}  // namespace microstore::auth
