#include "platform/wire/json_reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace microstore::wire {
namespace {

using Kind = JsonDefect::Kind;

JsonDefect DefectOf(std::string_view text, const JsonLimits& limits = {}) {
  auto read = ReadJson(text, limits);
  EXPECT_TRUE(std::holds_alternative<JsonDefect>(read)) << text;
  return std::holds_alternative<JsonDefect>(read) ? std::get<JsonDefect>(read) : JsonDefect{};
}

TEST(ReadJson, ReadsWhatNlohmannReads) {
  const std::string text =
      R"({"items":[{"product_id":"p","quantity":2},{"quantity":1.5e3}],"note":"\u00e9t\u00e9 🌞","n":null,"b":false,)"
      R"("big":18446744073709551615,"neg":-9223372036854775808,"tiny":1e-400,"deep":[[[]]]})";
  auto read = ReadJson(text);
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(read));
  EXPECT_EQ(std::get<nlohmann::json>(read), nlohmann::json::parse(text));
  for (const char* scalar : {"1", "\"x\"", "null", "[]", "{}", " true "}) {
    EXPECT_EQ(std::get<nlohmann::json>(ReadJson(scalar)), nlohmann::json::parse(scalar)) << scalar;
  }
}

TEST(ReadJson, RefusesNumbersNoDoubleHoldsNamingTheField) {
  for (const char* text : {R"({"n":1e400})", R"({"n":-2e400})"}) {
    const auto defect = DefectOf(text);
    EXPECT_EQ(defect.kind, Kind::kNumberOutOfRange);
    EXPECT_EQ(defect.field, "n");
    EXPECT_EQ(defect.message, "is a number out of range");
    EXPECT_TRUE(defect.ConcernsAValue());
  }
  EXPECT_EQ(DefectOf(R"({"items":[{"product_id":"p","quantity":2e400}]})").field, "items[0].quantity");
  EXPECT_EQ(DefectOf(R"([1, 2, 3e999])").field, "[2]");
  EXPECT_EQ(DefectOf("1e400").field, "");
}

TEST(ReadJson, RefusesARepeatedNameWhereverItIs) {
  const auto defect = DefectOf(R"({"email":"a@b.c","password":"x","email":"c@d.e"})");
  EXPECT_EQ(defect.kind, Kind::kDuplicateName);
  EXPECT_EQ(defect.field, "email");
  EXPECT_EQ(defect.message, "is given more than once");
  EXPECT_EQ(DefectOf(R"({"a":{"b":[{"c":1},{"c":1,"c":2}]}})").field, "a.b[1].c");
  // The same name in sibling objects is no repetition.
  EXPECT_TRUE(std::holds_alternative<nlohmann::json>(ReadJson(R"([{"c":1},{"c":2}])")));
}

TEST(ReadJson, RefusesInvalidUtf8InValuesAndNames) {
  const auto in_value = DefectOf("{\"name\":\"caf\xC3\"}");
  EXPECT_EQ(in_value.kind, Kind::kInvalidUtf8);
  EXPECT_EQ(in_value.field, "name");
  EXPECT_EQ(in_value.message, "is not valid UTF-8");
  EXPECT_EQ(DefectOf(R"({"name":"\ud800"})").kind, Kind::kInvalidUtf8);  // a lone surrogate escape
  EXPECT_EQ(DefectOf("{\"tags\":[\"ok\",\"\xFF\"]}").field, "tags[1]");
  const auto in_name = DefectOf("{\"a\":{\"b\xFF\":1}}");
  EXPECT_EQ(in_name.kind, Kind::kInvalidUtf8);
  EXPECT_EQ(in_name.field, "a");
  EXPECT_EQ(in_name.message, "has a field name that is not valid UTF-8");
}

TEST(ReadJson, RefusesNestingBeyondTheLimitWithoutRecursing) {
  EXPECT_TRUE(std::holds_alternative<nlohmann::json>(ReadJson(std::string(64, '[') + std::string(64, ']'))));
  const auto defect = DefectOf(std::string(65, '[') + std::string(65, ']'));
  EXPECT_EQ(defect.kind, Kind::kTooDeep);
  EXPECT_FALSE(defect.ConcernsAValue());
  EXPECT_EQ(DefectOf(R"({"a":{"b":[1]}})", {.max_depth = 2}).field, "a.b");
  // A million levels is refused at level 65, not walked.
  EXPECT_EQ(DefectOf(std::string(1'000'000, '[')).kind, Kind::kTooDeep);
}

TEST(ReadJson, RefusesWhatIsNotJsonSayingWhere) {
  for (const char* text : {"", "{", "[1,]", "{\"a\" 1}", "[1] x", "{\"a\":\"\x01\"}", "nul", "{'a':1}",
                           "// no\n{}", "[NaN]", "[01]"}) {
    const auto defect = DefectOf(text);
    EXPECT_EQ(defect.kind, Kind::kSyntax) << text;
    EXPECT_FALSE(defect.ConcernsAValue());
    EXPECT_FALSE(defect.message.empty());
    EXPECT_TRUE(defect.Describe().starts_with("not valid JSON (at byte ")) << defect.Describe();
  }
  EXPECT_EQ(DefectOf(R"({"a":[1,2,}])").field, "a[2]");
  EXPECT_EQ(DefectOf(R"([1] x)").byte, 5u);
  EXPECT_EQ(DefectOf(R"({"n":1e400})").Describe(), "not valid JSON: n is a number out of range");
}

TEST(FieldPath, EchoesNamesSafely) {
  EXPECT_EQ(FieldPath("", "email"), "email");
  EXPECT_EQ(FieldPath("items[0]", "quantity"), "items[0].quantity");
  EXPECT_EQ(ElementPath("items", 3), "items[3]");
  EXPECT_EQ(FieldPath("", "a\nb"), "a?b");
  EXPECT_EQ(FieldPath("", std::string(300, 'x')), std::string(100, 'x') + "\u2026");
}

}  // namespace
}  // namespace microstore::wire
