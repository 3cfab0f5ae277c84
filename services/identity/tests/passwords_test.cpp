#include "identity/infra/passwords.hpp"

#include <gtest/gtest.h>

#include "identity/infra/secrets.hpp"

namespace microstore::identity {
namespace {

TEST(PasswordHasher, VerifiesWhatItHashed) {
  const PasswordHasher hasher(MinimumPasswordCost());
  const std::string hash = hasher.Hash("tulips-and-7-roses");
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_EQ(hash.find("tulips"), std::string::npos);
  EXPECT_TRUE(hasher.Verify(hash, "tulips-and-7-roses"));
  EXPECT_FALSE(hasher.Verify(hash, "tulips-and-7-roses "));
  EXPECT_FALSE(hasher.Verify(hash, ""));
  // Salted: the same password never hashes the same twice.
  EXPECT_NE(hasher.Hash("tulips-and-7-roses"), hash);
}

TEST(PasswordHasher, RefusesMalformedHashes) {
  const PasswordHasher hasher(MinimumPasswordCost());
  EXPECT_FALSE(hasher.Verify("", "x"));
  EXPECT_FALSE(hasher.Verify("$argon2id$garbage", "x"));
  EXPECT_FALSE(hasher.Verify(std::string(500, 'a'), "x"));
}

TEST(PasswordHasher, TheDummyHashMatchesNothingObvious) {
  const PasswordHasher hasher(MinimumPasswordCost());
  EXPECT_TRUE(hasher.DummyHash().starts_with("$argon2id$"));
  EXPECT_FALSE(hasher.Verify(hasher.DummyHash(), ""));
  EXPECT_FALSE(hasher.Verify(hasher.DummyHash(), "password123"));
  EXPECT_FALSE(hasher.NeedsRehash(hasher.DummyHash()));
}

TEST(PasswordHasher, AsksForARehashWhenTheCostChanged) {
  const PasswordHasher cheap(MinimumPasswordCost());
  const PasswordHasher dearer({MinimumPasswordCost().opslimit + 1, MinimumPasswordCost().memlimit * 2});
  const std::string hash = cheap.Hash("tulips-and-7-roses");
  EXPECT_FALSE(cheap.NeedsRehash(hash));
  EXPECT_TRUE(dearer.NeedsRehash(hash));
  EXPECT_TRUE(dearer.Verify(hash, "tulips-and-7-roses"));  // old hashes still verify
}

TEST(RefreshTokens, AreRandomAndWellFormed) {
  const std::string a = NewRefreshToken();
  const std::string b = NewRefreshToken();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_TRUE(IsWellFormedRefreshToken(a));
  EXPECT_FALSE(IsWellFormedRefreshToken(a.substr(1)));
  EXPECT_FALSE(IsWellFormedRefreshToken(a + "A"));
  EXPECT_FALSE(IsWellFormedRefreshToken(std::string(42, 'A') + "="));
  EXPECT_FALSE(IsWellFormedRefreshToken(""));
}

TEST(RefreshTokens, AreStoredAsSha256) {
  EXPECT_EQ(RefreshTokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(RefreshTokenHash(NewRefreshToken()), RefreshTokenHash(NewRefreshToken()));
}

}  // namespace
}  // namespace microstore::identity
