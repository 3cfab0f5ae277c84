#include "identity/domain/pagination.hpp"

#include <gtest/gtest.h>

#include "platform/core/encoding.hpp"

namespace microstore::identity {
namespace {

const UserCursor kCursor{1700000000000, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"};

TEST(UserCursor, DecodesWhatItEncodes) {
  EXPECT_EQ(DecodeCursor(EncodeCursor(kCursor)), kCursor);
  EXPECT_EQ(DecodeCursor(EncodeCursor({0, kCursor.id})), (UserCursor{0, kCursor.id}));
}

// Found by tests/fuzz (identity harness): a cursor spelled another way than EncodeCursor writes
// it was accepted, against the header's "nullopt for anything EncodeCursor did not produce".
TEST(UserCursor, RefusesOtherSpellingsOfAPosition) {
  EXPECT_FALSE(DecodeCursor(core::Base64UrlEncode("1700000000000/3f2504e0-4f89-41d3-9a0c-0305e82c330A")));
  EXPECT_FALSE(DecodeCursor(core::Base64UrlEncode("01700000000000/" + kCursor.id)));
  EXPECT_FALSE(DecodeCursor(core::Base64UrlEncode("+1700000000000/" + kCursor.id)));
  EXPECT_FALSE(DecodeCursor(core::Base64UrlEncode("-1/" + kCursor.id)));
  EXPECT_FALSE(DecodeCursor(core::Base64UrlEncode("1700000000000/" + kCursor.id + " ")));
}

TEST(UserCursor, RefusesWhatIsNoCursor) {
  EXPECT_FALSE(DecodeCursor(""));
  EXPECT_FALSE(DecodeCursor("not base64!"));
  EXPECT_FALSE(DecodeCursor(core::Base64UrlEncode("1700000000000")));
  EXPECT_FALSE(DecodeCursor(core::Base64UrlEncode("x/" + kCursor.id)));
  EXPECT_FALSE(DecodeCursor(std::string(200, 'A')));
}

}  // namespace
}  // namespace microstore::identity
