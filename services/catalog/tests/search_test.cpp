#include "catalog/domain/search.hpp"

#include <gtest/gtest.h>

#include "platform/core/text.hpp"
#include "catalog/domain/utf8.hpp"

namespace microstore::catalog {
namespace {

using Words = std::vector<std::string>;

// Nothing a tsquery parser treats as syntax may survive: words hold letters and digits only.
void ExpectOnlyWordCharacters(const Words& words) {
  for (const auto& word : words) {
    EXPECT_FALSE(word.empty());
    EXPECT_TRUE(core::IsValidUtf8(word)) << word;
    for (const char c : word) {
      const auto byte = static_cast<unsigned char>(c);
      EXPECT_TRUE(byte >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << word;
    }
  }
}

TEST(SearchWords, SplitsAndLowerCasesAsciiWords) {
  EXPECT_EQ(SearchWords("Oak dining CHAIR"), (Words{"oak", "dining", "chair"}));
  EXPECT_EQ(SearchWords("  cha  "), (Words{"cha"}));
  EXPECT_EQ(SearchWords("SKU-123_x.9"), (Words{"sku", "123", "x", "9"}));
}

TEST(SearchWords, KeepsRussianWordsWhole) {
  EXPECT_EQ(SearchWords("Дубовый обеденный стул"), (Words{"Дубовый", "обеденный", "стул"}));
  EXPECT_EQ(SearchWords("стул,кресло"), (Words{"стул", "кресло"}));
  EXPECT_EQ(SearchWords("ёлка2024"), (Words{"ёлка2024"}));
}

TEST(SearchWords, DropsDuplicatesKeepingFirstOrder) {
  EXPECT_EQ(SearchWords("chair Chair CHAIR oak chair"), (Words{"chair", "oak"}));
}

TEST(SearchWords, EmptyAndWordlessTextHasNoWords) {
  EXPECT_TRUE(SearchWords("").empty());
  EXPECT_TRUE(SearchWords("   \t\n").empty());
  EXPECT_TRUE(SearchWords("&|!():*'\"\\<>-").empty());
  EXPECT_TRUE(SearchWords("«»—…  ×").empty());  // Unicode punctuation and spaces
}

TEST(SearchWords, SqlAndTsqueryMetacharactersNeverSurvive) {
  const Words injection = SearchWords("'; DROP TABLE products; --");
  EXPECT_EQ(injection, (Words{"drop", "table", "products"}));
  ExpectOnlyWordCharacters(injection);

  EXPECT_EQ(SearchWords("chair:* & !oak | (lamp) <-> desk"), (Words{"chair", "oak", "lamp", "desk"}));
  EXPECT_EQ(SearchWords("it's \"quoted\" back\\slash"), (Words{"it", "s", "quoted", "back", "slash"}));
  EXPECT_EQ(SearchWords("a\x00"
                        "b"),
            (Words{"a"}));
  EXPECT_EQ(SearchWords(std::string("a\0b", 3)), (Words{"a", "b"}));
  ExpectOnlyWordCharacters(SearchWords("$1 %s ${x} `cmd` ;; /* */ -- \r\n\x1b[0m"));
}

TEST(SearchWords, InvalidUtf8BytesSeparateWords) {
  const Words words = SearchWords("oak\xFF\xFEstool \xC3 chair \xED\xA0\x80x");
  EXPECT_EQ(words, (Words{"oak", "stool", "chair", "x"}));
  ExpectOnlyWordCharacters(words);
}

TEST(SearchWords, HandlesHugeInput) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "word" + std::to_string(i % 1000) + " ';--";
  const Words words = SearchWords(text);
  EXPECT_EQ(words.size(), 1000u);
  ExpectOnlyWordCharacters(words);
  EXPECT_EQ(SearchWords(std::string(1 << 20, 'a')), (Words{std::string(1 << 20, 'a')}));
}

}  // namespace
}  // namespace microstore::catalog
