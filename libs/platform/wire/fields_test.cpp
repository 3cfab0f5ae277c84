#include "platform/wire/fields.hpp"

#include <gtest/gtest.h>

#include "platform/core/encoding.hpp"

namespace microstore::wire {
namespace {

using nlohmann::json;

TEST(Integer, ReadsIntegersWithinTheRangeWithoutOverflow) {
  EXPECT_EQ(Integer(json(5), 1, 10), 5);
  EXPECT_EQ(Integer(json(-5), -10, 10), -5);
  EXPECT_EQ(Integer(json(INT64_MAX)), INT64_MAX);
  EXPECT_EQ(Integer(json(INT64_MIN)), INT64_MIN);
  EXPECT_FALSE(Integer(json(UINT64_MAX)));  // unsigned beyond int64
  EXPECT_FALSE(Integer(json(11), 1, 10));
  EXPECT_FALSE(Integer(json(0), 1, 10));
  EXPECT_FALSE(Integer(json(3), -10, -1));  // a negative maximum
  EXPECT_FALSE(Integer(json(-3), 0, 10));
}

TEST(Integer, RefusesWhatIsNoInteger) {
  for (const json& value : {json(2.0), json(1e3), json("3"), json(true), json(nullptr), json::array({1}), json::object()}) {
    EXPECT_FALSE(Integer(value)) << value.dump();
  }
}

TEST(Cursor, RoundTripsAndRefusesForgeries) {
  const json position = {{"c", 1700000000123}, {"i", "0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7e"}};
  EXPECT_EQ(DecodeCursor(EncodeCursor(position)), position);
  EXPECT_FALSE(DecodeCursor(""));
  EXPECT_FALSE(DecodeCursor("not base64url!"));
  EXPECT_FALSE(DecodeCursor("bm90LWpzb24"));  // "not-json"
  EXPECT_FALSE(DecodeCursor(EncodeCursor(position), 10));
  EXPECT_FALSE(DecodeCursor(EncodeCursor(json::parse("[[[[[1]]]]]"))));
  // The same position spelled otherwise is not a cursor EncodeCursor wrote.
  EXPECT_FALSE(DecodeCursor(core::Base64UrlEncode(R"({"i":"x", "c":1})")));
  EXPECT_FALSE(DecodeCursor(core::Base64UrlEncode(R"({"i":"x","c":1})")));  // keys out of order
  EXPECT_FALSE(DecodeCursor(EncodeCursor(position) + "="));
}

}  // namespace
}  // namespace microstore::wire
