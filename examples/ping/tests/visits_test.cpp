// The ping domain's rules, pure: no database, no server.
#include <gtest/gtest.h>

#include "ping/domain/visits.hpp"

namespace microstore::ping {
namespace {

using std::chrono::milliseconds;

TEST(IsValidName, TakesOneToSixtyFourBytes) {
  EXPECT_TRUE(IsValidName("a"));
  EXPECT_TRUE(IsValidName(std::string(64, 'x')));
  EXPECT_FALSE(IsValidName(""));
  EXPECT_FALSE(IsValidName(std::string(65, 'x')));
}

TEST(ParseDelay, TakesWholeMillisecondsUpToFiveSeconds) {
  EXPECT_EQ(ParseDelay("0"), milliseconds(0));
  EXPECT_EQ(ParseDelay("5000"), milliseconds(5000));
  EXPECT_EQ(ParseDelay("5001"), std::nullopt);
  EXPECT_EQ(ParseDelay("-1"), std::nullopt);
  EXPECT_EQ(ParseDelay("12abc"), std::nullopt);
  EXPECT_EQ(ParseDelay(""), std::nullopt);
  EXPECT_EQ(ParseDelay("99999999999999999999999"), std::nullopt);
}

}  // namespace
}  // namespace microstore::ping
