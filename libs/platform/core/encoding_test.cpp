#include "platform/core/encoding.hpp"

#include <gtest/gtest.h>

namespace microstore::core {
namespace {

// RFC 4648 §10 test vectors.
TEST(Base64, EncodesTheRfcVectorsWithPadding) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("user@example.com:pa ss"), "dXNlckBleGFtcGxlLmNvbTpwYSBzcw==");
}

TEST(Base64, DecodesPaddedTextAndRefusesAnythingElse) {
  EXPECT_EQ(Base64Decode("Zm9vYg=="), "foob");
  EXPECT_EQ(Base64Decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(Base64Decode(""), "");
  EXPECT_FALSE(Base64Decode("Zm9vYg"));   // padding missing
  EXPECT_FALSE(Base64Decode("Zm9v!mFy"));  // not in the alphabet
  EXPECT_FALSE(Base64Decode("Zm9-YmFy"));  // the URL-safe alphabet is another encoding
}

TEST(Base64Url, RoundTripsBytesWithoutPadding) {
  const std::string bytes("\xfb\xff\x00\x01", 4);
  EXPECT_EQ(Base64UrlEncode(bytes), "-_8AAQ");
  EXPECT_EQ(Base64UrlDecode("-_8AAQ"), bytes);
  EXPECT_EQ(Base64UrlDecode("-_8AAQ=="), bytes);
  EXPECT_FALSE(Base64UrlDecode("+/8AAQ"));
}

}  // namespace
}  // namespace microstore::core
