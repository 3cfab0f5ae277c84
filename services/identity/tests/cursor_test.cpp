// The user listing's next_cursor: opaque to clients, and only what the listing wrote reads back.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "identity/api/json.hpp"
#include "platform/core/encoding.hpp"
#include "platform/wire/fields.hpp"

namespace microstore::identity::api {
namespace {

using nlohmann::json;

const UserCursor kCursor{1700000000000, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"};

TEST(UserCursor, DecodesWhatItEncodes) {
  EXPECT_EQ(DecodeUserCursor(EncodeUserCursor(kCursor)), kCursor);
  EXPECT_EQ(DecodeUserCursor(EncodeUserCursor({0, kCursor.id})), (UserCursor{0, kCursor.id}));
  const UserCursor other{1'800'000'000'123, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"};
  EXPECT_EQ(DecodeUserCursor(EncodeUserCursor(other)), other);
}

// Found by tests/fuzz (identity harness): a cursor spelled another way than the listing writes
// it was accepted. A cursor the listing did not write is refused, even one naming a position.
TEST(UserCursor, RefusesOtherSpellingsOfAPosition) {
  EXPECT_FALSE(DecodeUserCursor(
      wire::EncodeCursor({{"c", 1700000000000}, {"i", "3f2504e0-4f89-41d3-9a0c-0305e82c330A"}})));
  EXPECT_FALSE(DecodeUserCursor(core::Base64UrlEncode(R"({"c":01700000000000,"i":")" + kCursor.id + "\"}")));
  EXPECT_FALSE(DecodeUserCursor(core::Base64UrlEncode(R"({"c":1700000000000.0,"i":")" + kCursor.id + "\"}")));
  EXPECT_FALSE(DecodeUserCursor(core::Base64UrlEncode(R"({"i":")" + kCursor.id + R"(","c":1700000000000})")));
  EXPECT_FALSE(DecodeUserCursor(core::Base64UrlEncode(R"({"c": 1700000000000, "i":")" + kCursor.id + "\"}")));
  EXPECT_FALSE(DecodeUserCursor(core::Base64UrlEncode(R"({"c":+1700000000000,"i":")" + kCursor.id + "\"}")));
  EXPECT_FALSE(DecodeUserCursor(wire::EncodeCursor({{"c", -1}, {"i", kCursor.id}})));
  EXPECT_FALSE(DecodeUserCursor(wire::EncodeCursor({{"c", 1700000000000}, {"i", kCursor.id + " "}})));
  EXPECT_FALSE(DecodeUserCursor(wire::EncodeCursor({{"c", 1700000000000}, {"i", kCursor.id}, {"x", 1}})));
  // The spelling of the listing's cursors before they became wire::EncodeCursor's.
  EXPECT_FALSE(DecodeUserCursor(core::Base64UrlEncode("1700000000000/" + kCursor.id)));
}

TEST(UserCursor, RefusesWhatIsNoCursor) {
  for (const char* bad :
       {"", "not base64!", "!!!", "MTIz", "MTIzLw", "eC8zZjI1MDRlMC00Zjg5LTQxZDMtOWEwYy0wMzA1ZTgyYzMzMDE"}) {
    EXPECT_EQ(DecodeUserCursor(bad), std::nullopt) << bad;
  }
  EXPECT_FALSE(DecodeUserCursor(wire::EncodeCursor(1700000000000)));
  EXPECT_FALSE(DecodeUserCursor(wire::EncodeCursor({{"c", 1700000000000}})));
  EXPECT_FALSE(DecodeUserCursor(wire::EncodeCursor({{"c", "x"}, {"i", kCursor.id}})));
  EXPECT_FALSE(DecodeUserCursor(wire::EncodeCursor({{"c", 1700000000000}, {"i", 42}})));
  EXPECT_FALSE(DecodeUserCursor(EncodeUserCursor({-5, kCursor.id})));
  EXPECT_FALSE(DecodeUserCursor(EncodeUserCursor({5, "not-a-uuid"})));
  EXPECT_FALSE(DecodeUserCursor(std::string(200, 'A')));
}

}  // namespace
}  // namespace microstore::identity::api
