#include "platform/core/text.hpp"

#include <gtest/gtest.h>

namespace microstore::core {
namespace {

std::chrono::system_clock::time_point At(std::int64_t ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

TEST(FormatRfc3339Utc, WritesUtcWithTruncatedMilliseconds) {
  EXPECT_EQ(FormatRfc3339Utc(At(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339Utc(At(951'782'400'007)), "2000-02-29T00:00:00.007Z");
  EXPECT_EQ(FormatRfc3339Utc(At(1'795'428'000'123) + std::chrono::microseconds(999)), "2026-11-23T10:00:00.123Z");
}

TEST(TruncateUtf8, NeverSplitsACharacter) {
  EXPECT_EQ(TruncateUtf8("short", 10), "short");
  EXPECT_EQ(TruncateUtf8("abcdef", 3), "abc");
  EXPECT_EQ(TruncateUtf8("a\xC3\xA9z", 2), "a");     // é is two bytes
  EXPECT_EQ(TruncateUtf8("a\xE2\x82\xAC", 3), "a");  // € is three
  EXPECT_EQ(TruncateUtf8("\xE2\x82\xAC\xE2\x82\xAC", 3), "\xE2\x82\xAC");
}

TEST(EqualsIgnoreCase, FoldsAsciiLettersOnly) {
  EXPECT_TRUE(EqualsIgnoreCase("Content-Type", "content-TYPE"));
  EXPECT_FALSE(EqualsIgnoreCase("Content-Type", "Content-Typ"));
  EXPECT_FALSE(EqualsIgnoreCase("a@", "A`"));  // '@' and '`' differ only in the bit that cases letters
  EXPECT_FALSE(EqualsIgnoreCase("\xD0\x94", "\xD0\xB4"));  // no Unicode folding
  EXPECT_TRUE(StartsWithIgnoreCase("Proxy-Authorization", "proxy-"));
  EXPECT_FALSE(StartsWithIgnoreCase("Prox", "proxy-"));
}

TEST(Utf8, DecodesValidTextAndRefusesEveryKindOfInvalidSequence) {
  EXPECT_EQ(DecodeUtf8("a\xD0\xB4\xE2\x82\xAC\xF0\x9F\x98\x80"), std::u32string(U"a\u0434\u20AC\U0001F600"));
  EXPECT_EQ(DecodeUtf8(""), std::u32string());
  for (const std::string bad : {"\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xD0",
                                "\xE2\x82", "\xFF", "ok\xD0x"}) {
    EXPECT_FALSE(DecodeUtf8(bad)) << bad;
    EXPECT_FALSE(IsValidUtf8(bad)) << bad;
  }
  EXPECT_TRUE(IsValidUtf8("Дубовый стул"));
}

TEST(Utf8, NextCodePointSkipsOneByteOfAnInvalidSequence) {
  const std::string text = "\xE2\x82x";
  std::size_t pos = 0;
  EXPECT_FALSE(NextCodePoint(text, pos));
  EXPECT_EQ(pos, 1u);
  EXPECT_FALSE(NextCodePoint(text, pos));
  EXPECT_EQ(pos, 2u);
  EXPECT_EQ(NextCodePoint(text, pos), U'x');
  EXPECT_EQ(pos, 3u);
}

TEST(EchoedName, KeepsShortPlainNamesAndDefusesTheRest) {
  EXPECT_EQ(EchoedName("quantity"), "quantity");
  EXPECT_EQ(EchoedName("цена"), "цена");
  EXPECT_EQ(EchoedName("a\r\nb\x7F\xC2\x85"), "a??b??");  // C0, DEL and C1 controls
  EXPECT_EQ(EchoedName("bad\xFF\xC3"), "bad??");
  EXPECT_EQ(EchoedName(std::string(100, 'x')), std::string(100, 'x'));
  EXPECT_EQ(EchoedName(std::string(101, 'x')), std::string(100, 'x') + "\u2026");
  // A cut never splits a character: 99 bytes and a two-byte letter would be 101.
  EXPECT_EQ(EchoedName(std::string(99, 'x') + "ж"), std::string(99, 'x') + "\u2026");
}

}  // namespace
}  // namespace microstore::core
