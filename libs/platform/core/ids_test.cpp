#include "platform/core/ids.hpp"

#include <gtest/gtest.h>

#include <set>

namespace microstore::core {
namespace {

constexpr const char* kLower = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

// Each differs from a UUID in one way only.
constexpr const char* kNotUuids[] = {
    "",
    "3f2504e0-4f89-41d3-9a0c-0305e82c330",         // one digit short
    "3f2504e0-4f89-41d3-9a0c-0305e82c33011",       // one digit long
    "3f2504e04f89-41d3-9a0c-0305e82c3301-",        // a dash out of place
    "3f2504e0+4f89-41d3-9a0c-0305e82c3301",        // not a dash
    "3f2504e0-4f89-41d3-9a0c-0305e82c330g",        // not a hexadecimal digit
    "{3f2504e0-4f89-41d3-9a0c-0305e82c33}",        // braces
    " 3f2504e0-4f89-41d3-9a0c-0305e82c330",        // white space
    "3f2504e04f8941d39a0c0305e82c33010000",        // no dashes
    "3f2504e0-4f89-41d3-9a0c-0305e82c33\xC3\xA9",  // a non-ASCII byte
};

TEST(IsUuid, AcceptsEitherCaseOfAnyVersion) {
  EXPECT_TRUE(IsUuid(kLower));
  EXPECT_TRUE(IsUuid("3F2504E0-4F89-41D3-9A0C-0305E82C3301"));
  EXPECT_TRUE(IsUuid("3F2504e0-4f89-41D3-9a0C-0305e82c3301"));
  EXPECT_TRUE(IsUuid("00000000-0000-0000-0000-000000000000"));  // version 0: not ours to judge
}

TEST(IsUuid, RefusesEverythingElse) {
  for (const char* text : kNotUuids) EXPECT_FALSE(IsUuid(text)) << text;
  EXPECT_FALSE(IsUuid(std::string_view(kLower, 35)));
  EXPECT_FALSE(IsUuid(std::string(kLower).replace(8, 1, 1, '\0')));
}

TEST(CanonicalUuid, LowersTheDigitsAndKeepsTheRest) {
  EXPECT_EQ(CanonicalUuid(kLower), kLower);
  EXPECT_EQ(CanonicalUuid("3F2504E0-4F89-41D3-9A0C-0305E82C3301"), kLower);
  EXPECT_EQ(CanonicalUuid("3F2504e0-4f89-41D3-9a0C-0305e82c3301"), kLower);
}

TEST(CanonicalUuid, RefusesWhatIsNotAUuid) {
  for (const char* text : kNotUuids) EXPECT_EQ(CanonicalUuid(text), std::nullopt) << text;
}

TEST(NewUuid, IsACanonicalVersion4Uuid) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewUuid();
    EXPECT_EQ(CanonicalUuid(id), id);
    EXPECT_EQ(id[14], '4');
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace microstore::core
