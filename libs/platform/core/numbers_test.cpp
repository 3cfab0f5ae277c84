#include "platform/core/numbers.hpp"

#include <gtest/gtest.h>

namespace microstore::core {
namespace {

TEST(ParseInteger, ReadsDecimalIntegersWithinTheRange) {
  EXPECT_EQ(ParseInteger("42"), 42);
  EXPECT_EQ(ParseInteger("-7"), -7);
  EXPECT_EQ(ParseInteger("007"), 7);
  EXPECT_EQ(ParseInteger("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseInteger("-9223372036854775808"), INT64_MIN);
  EXPECT_EQ(ParseInteger("100", 1, 100), 100);
  EXPECT_EQ(ParseInteger("1", 1, 100), 1);
}

TEST(ParseInteger, RefusesEverythingElse) {
  for (const char* text : {"", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "--1", "-", "abc", "9223372036854775808",
                           "-9223372036854775809", "000000000000000000001"}) {
    EXPECT_FALSE(ParseInteger(text)) << text;
  }
  EXPECT_FALSE(ParseInteger("0", 1, 100));
  EXPECT_FALSE(ParseInteger("101", 1, 100));
  EXPECT_FALSE(ParseInteger("-1", 0, 10));
}

}  // namespace
}  // namespace microstore::core
