// Product bodies as api/json.cpp reads them: the JSON types it refuses and the domain's rules it
// applies (domain/validation.hpp), every problem at once, in field order.
#include <gtest/gtest.h>

#include <limits>

#include "catalog/api/json.hpp"
#include "catalog/domain/validation.hpp"
#include "catalog/tests/fixtures.hpp"

namespace microstore::catalog::api {
namespace {

using nlohmann::json;
using core::FieldError;
using Problems = core::FieldErrors;

// The fields a patch leaves `current` with, or its problems.
std::variant<ProductFields, Problems> ApplyPatch(const ProductFields& current, const json& patch) {
  PatchRequest read = ReadProductPatch(patch);
  if (auto* problems = std::get_if<Problems>(&read)) return std::move(*problems);
  return Patched(current, std::get<ProductPatch>(read));
}

json ValidBody() {
  return {{"sku", "OAK-CHAIR-1"},
          {"name", "Oak dining chair"},
          {"description", "Solid oak.\nSeats one."},
          {"photo_url", "https://picsum.photos/seed/OAK-CHAIR-1/400/300"},
          {"price_minor", 649000},
          {"currency", "RUB"},
          {"weight_grams", 6200},
          {"dimensions_mm", {{"length", 450}, {"width", 520}, {"height", 900}}},
          {"tags", {"Furniture", "oak"}},
          {"on_promotion", true}};
}

ProductFields Valid(const json& body) {
  auto result = ReadNewProduct(body);
  if (auto* problems = std::get_if<Problems>(&result)) {
    ADD_FAILURE() << "unexpected problem: " << problems->front().field << " " << problems->front().message;
    return {};
  }
  return std::get<ProductFields>(result);
}

Problems Invalid(const json& body) {
  auto result = ReadNewProduct(body);
  if (!std::holds_alternative<Problems>(result)) {
    ADD_FAILURE() << "accepted " << body.dump();
    return {};
  }
  return std::get<Problems>(result);
}

std::vector<std::string> Fields(const Problems& problems) {
  std::vector<std::string> fields;
  for (const auto& problem : problems) fields.push_back(problem.field);
  return fields;
}

// The single problem of `body` after setting `field` to `value`.
FieldError ProblemWith(const std::string& field, const json& value) {
  json body = ValidBody();
  body[field] = value;
  const Problems problems = Invalid(body);
  EXPECT_EQ(problems.size(), 1u) << body.dump();
  return problems.empty() ? FieldError{} : problems.front();
}

TEST(ReadNewProduct, AcceptsAFullBody) {
  const ProductFields fields = Valid(ValidBody());
  EXPECT_EQ(fields.sku, "OAK-CHAIR-1");
  EXPECT_EQ(fields.name, "Oak dining chair");
  EXPECT_EQ(fields.description, "Solid oak.\nSeats one.");
  EXPECT_EQ(fields.photo_url, "https://picsum.photos/seed/OAK-CHAIR-1/400/300");
  EXPECT_EQ(fields.price_minor, 649000);
  EXPECT_EQ(fields.currency, "RUB");
  EXPECT_EQ(fields.weight_grams, 6200);
  EXPECT_EQ(fields.dimensions_mm, (Dimensions{450, 520, 900}));
  EXPECT_EQ(fields.tags, (std::vector<std::string>{"furniture", "oak"}));
  EXPECT_TRUE(fields.on_promotion);
}

TEST(ReadNewProduct, OptionalFieldsHaveDefaults) {
  const ProductFields fields = Valid({{"sku", "A"}, {"name", "N"}, {"price_minor", 0}, {"currency", "EUR"}});
  EXPECT_EQ(fields.description, "");
  EXPECT_EQ(fields.photo_url, std::nullopt);
  EXPECT_EQ(fields.weight_grams, 0);
  EXPECT_EQ(fields.dimensions_mm, (Dimensions{0, 0, 0}));
  EXPECT_TRUE(fields.tags.empty());
  EXPECT_FALSE(fields.on_promotion);
}

TEST(ReadNewProduct, ReportsEveryMissingRequiredField) {
  EXPECT_EQ(Fields(Invalid(json::object())),
            (std::vector<std::string>{"sku", "name", "price_minor", "currency"}));
}

TEST(ReadNewProduct, ABodyThatIsNotAnObjectIsNamedAsTheRoot) {
  for (const json& body : {json::array(), json(42), json("text"), json(nullptr)}) {
    const Problems problems = Invalid(body);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].field, "");
    EXPECT_EQ(problems[0].message, "must be a JSON object");
  }
}

TEST(ReadNewProduct, ReportsEveryBadFieldAtOnce) {
  json body = ValidBody();
  body["sku"] = "bad sku";
  body["name"] = "";
  body["price_minor"] = -1;
  body["currency"] = "rub";
  body["dimensions_mm"]["width"] = "wide";
  body["tags"] = {"ok", "not ok"};
  body["colour"] = "red";
  const auto fields = Fields(Invalid(body));
  EXPECT_EQ(fields, (std::vector<std::string>{"colour", "sku", "name", "price_minor", "currency",
                                              "dimensions_mm.width", "tags[1]"}));
}

TEST(ReadNewProduct, Sku) {
  for (const char* ok :
       {"A", "abc-DEF_1.2", "0123456789012345678901234567890123456789012345678901234567890123"}) {
    json body = ValidBody();
    body["sku"] = ok;
    EXPECT_EQ(Valid(body).sku, ok);
  }
  EXPECT_EQ(ProblemWith("sku", "").message, "must be 1 to 64 characters");
  EXPECT_EQ(ProblemWith("sku", std::string(65, 'A')).message, "must be 1 to 64 characters");
  for (const char* bad : {"with space", "sku/1", "sku'1", "ключ", "a;b", "a\tb"}) {
    EXPECT_EQ(ProblemWith("sku", bad).field, "sku") << bad;
  }
  EXPECT_EQ(ProblemWith("sku", 12).message, "must be a string");
}

TEST(ReadNewProduct, NameCountsCharactersNotBytes) {
  json body = ValidBody();
  std::string russian;
  for (int i = 0; i < 200; ++i) russian += "ж";  // 400 bytes, 200 characters
  body["name"] = russian;
  EXPECT_EQ(Valid(body).name, russian);
  EXPECT_EQ(ProblemWith("name", russian + "ж").message, "must be 1 to 200 characters");
  EXPECT_EQ(ProblemWith("name", "").message, "must be 1 to 200 characters");
}

TEST(ReadNewProduct, NameIsPlainText) {
  EXPECT_EQ(ProblemWith("name", "   ").message, "must not be blank");
  EXPECT_EQ(ProblemWith("name", "two\nlines").message, "must not contain control characters");
  EXPECT_EQ(ProblemWith("name", std::string("nul\0byte", 8)).message, "must not contain control characters");
  EXPECT_EQ(ProblemWith("name", "c1\xC2\x85").message, "must not contain control characters");
  EXPECT_EQ(ProblemWith("name", nullptr).message, "must be a string");
  EXPECT_EQ(ProblemWith("name", json::array({"a"})).message, "must be a string");
}

TEST(ReadNewProduct, Description) {
  json body = ValidBody();
  body["description"] = std::string(5000, 'x');
  EXPECT_EQ(Valid(body).description.size(), 5000u);
  body["description"] = "Строка\tс табом\r\nи переводом";
  EXPECT_EQ(Valid(body).description, "Строка\tс табом\r\nи переводом");
  EXPECT_EQ(ProblemWith("description", std::string(5001, 'x')).message, "must be at most 5000 characters");
  EXPECT_EQ(ProblemWith("description", "bell\a").field, "description");
  EXPECT_EQ(ProblemWith("description", nullptr).message, "must be a string");
}

TEST(ReadNewProduct, PhotoUrl) {
  json body = ValidBody();
  body["photo_url"] = nullptr;
  EXPECT_EQ(Valid(body).photo_url, std::nullopt);
  for (const char* ok :
       {"http://example.com", "HTTPS://cdn.example.com:8443/p/1.jpg?w=400#x", "https://[::1]/a.png"}) {
    body["photo_url"] = ok;
    EXPECT_EQ(Valid(body).photo_url, ok);
  }
  const std::string long_url = "https://example.com/" + std::string(2048 - 20, 'a');
  body["photo_url"] = long_url;
  EXPECT_EQ(Valid(body).photo_url, long_url);
  EXPECT_EQ(ProblemWith("photo_url", long_url + "a").message, "must be at most 2048 bytes");
  for (const char* bad : {"ftp://example.com/a", "javascript:alert(1)", "https://", "https:///path",
                          "example.com", "https://exa mple.com", "https://user:pw@example.com/",
                          "https://example.com:/", "https://example.com:123456/", "https://bad_host/",
                          "https://пример.рф/", "https://example.com/<script>"}) {
    EXPECT_EQ(ProblemWith("photo_url", bad).message, "must be an absolute http or https URL") << bad;
  }
  EXPECT_EQ(ProblemWith("photo_url", 5).message, "must be a string or null");
}

TEST(ReadNewProduct, PriceMinor) {
  json body = ValidBody();
  for (const std::int64_t ok : {std::int64_t{0}, std::int64_t{1}, kMaxPriceMinor}) {
    body["price_minor"] = ok;
    EXPECT_EQ(Valid(body).price_minor, ok);
  }
  const std::string range = "must be an integer from 0 to 1000000000000";
  EXPECT_EQ(ProblemWith("price_minor", kMaxPriceMinor + 1).message, range);
  EXPECT_EQ(ProblemWith("price_minor", -1).message, range);
  EXPECT_EQ(ProblemWith("price_minor", std::numeric_limits<std::uint64_t>::max()).message, range);
  EXPECT_EQ(ProblemWith("price_minor", std::numeric_limits<std::int64_t>::min()).message, range);
  EXPECT_EQ(ProblemWith("price_minor", 12.5).message, "must be a whole number");
  EXPECT_EQ(ProblemWith("price_minor", 1e3).message, "must be a whole number");
  EXPECT_EQ(ProblemWith("price_minor", "100").message, "must be an integer");
  EXPECT_EQ(ProblemWith("price_minor", true).message, "must be an integer");
  EXPECT_EQ(ProblemWith("price_minor", nullptr).message, "must be an integer");
}

TEST(ReadNewProduct, Currency) {
  for (const char* bad : {"rub", "RU", "RUBL", "R1B", "", "РУБ"}) {
    EXPECT_EQ(ProblemWith("currency", bad).message, "must be an ISO 4217 code: three upper-case letters")
        << bad;
  }
  EXPECT_EQ(ProblemWith("currency", 643).message, "must be a string");
}

TEST(ReadNewProduct, WeightAndDimensions) {
  json body = ValidBody();
  body["weight_grams"] = kMaxMeasure;
  body["dimensions_mm"] = {{"length", kMaxMeasure}, {"width", 0}, {"height", 1}};
  const ProductFields fields = Valid(body);
  EXPECT_EQ(fields.weight_grams, kMaxMeasure);
  EXPECT_EQ(fields.dimensions_mm, (Dimensions{kMaxMeasure, 0, 1}));

  EXPECT_EQ(ProblemWith("weight_grams", kMaxMeasure + 1).message, "must be an integer from 0 to 10000000");
  EXPECT_EQ(ProblemWith("weight_grams", -5).field, "weight_grams");
  EXPECT_EQ(ProblemWith("weight_grams", "5").message, "must be an integer");
  EXPECT_EQ(ProblemWith("dimensions_mm", nullptr).message, "must be an object with length, width and height");
  EXPECT_EQ(ProblemWith("dimensions_mm", json::array({1, 2, 3})).field, "dimensions_mm");

  body["dimensions_mm"] = {{"length", -1}, {"width", 1.5}, {"depth", 3}};
  EXPECT_EQ(Fields(Invalid(body)), (std::vector<std::string>{"dimensions_mm.depth", "dimensions_mm.length",
                                                             "dimensions_mm.width", "dimensions_mm.height"}));
  const Problems problems = Invalid(body);
  EXPECT_EQ(problems[0].message, "is not a known field");
  EXPECT_EQ(problems[3].message, "is required");
}

TEST(ReadNewProduct, TagsAreLowerCasedAndDeduplicated) {
  json body = ValidBody();
  body["tags"] = {"Oak", "oak", "OAK", "dining-room", "x"};
  EXPECT_EQ(Valid(body).tags, (std::vector<std::string>{"oak", "dining-room", "x"}));
  body["tags"] = json::array();
  EXPECT_TRUE(Valid(body).tags.empty());
}

TEST(ReadNewProduct, TagRules) {
  json body = ValidBody();
  std::vector<std::string> twenty;
  for (int i = 0; i < 20; ++i) twenty.push_back("t" + std::to_string(i));
  body["tags"] = twenty;
  EXPECT_EQ(Valid(body).tags.size(), 20u);
  // 25 given, 20 distinct: allowed.
  auto with_repeats = twenty;
  for (int i = 0; i < 5; ++i) with_repeats.push_back("T" + std::to_string(i));
  body["tags"] = with_repeats;
  EXPECT_EQ(Valid(body).tags.size(), 20u);
  twenty.push_back("t20");
  EXPECT_EQ(ProblemWith("tags", twenty).message, "must hold at most 20 distinct tags");

  body["tags"] = {"ok", "", std::string(41, 'a'), "under_score", "пробел", 7, nullptr, std::string(40, 'a')};
  const Problems problems = Invalid(body);
  EXPECT_EQ(Fields(problems),
            (std::vector<std::string>{"tags[1]", "tags[2]", "tags[3]", "tags[4]", "tags[5]", "tags[6]"}));
  EXPECT_EQ(problems[0].message, "must be 1 to 40 of a-z, 0-9 and '-'");
  EXPECT_EQ(problems[4].message, "must be a string");
  EXPECT_EQ(ProblemWith("tags", "oak").message, "must be an array of strings");
}

TEST(ReadNewProduct, OnPromotion) {
  EXPECT_EQ(ProblemWith("on_promotion", "true").message, "must be true or false");
  EXPECT_EQ(ProblemWith("on_promotion", 1).message, "must be true or false");
  EXPECT_EQ(ProblemWith("on_promotion", nullptr).message, "must be true or false");
}

TEST(ReadNewProduct, RefusesUnknownAndReadOnlyFields) {
  json body = ValidBody();
  body["prize_minor"] = 100;
  body["id"] = "4e0b1a52-7a3c-4b8e-9a55-9f1f2b3c4d5e";
  body["version"] = 3;
  body["archived"] = false;
  body["created_at"] = "2026-01-01T00:00:00.000Z";
  body["updated_at"] = "2026-01-01T00:00:00.000Z";
  const Problems problems = Invalid(body);
  ASSERT_EQ(problems.size(), 6u);
  for (const auto& problem : problems) {
    EXPECT_EQ(problem.message, problem.field == "prize_minor" ? "is not a known field" : "is read-only")
        << problem.field;
  }
}

TEST(ReadNewProduct, EchoesOnlyAShortPrefixOfAnUnknownFieldName) {
  json body = ValidBody();
  body[std::string(5000, 'k')] = 1;
  const Problems problems = Invalid(body);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_LT(problems[0].field.size(), 110u);
}

TEST(ReadProductPatch, ReplacesOnlyTheGivenFields) {
  const ProductFields current = Valid(ValidBody());
  auto result = ApplyPatch(current, {{"name", "Walnut chair"}, {"price_minor", 700000}});
  ASSERT_TRUE(std::holds_alternative<ProductFields>(result));
  ProductFields expected = current;
  expected.name = "Walnut chair";
  expected.price_minor = 700000;
  EXPECT_EQ(std::get<ProductFields>(result), expected);
}

TEST(ReadProductPatch, MergesDimensionsMeasureByMeasureAndNullRemovesThePhoto) {
  const ProductFields current = Valid(ValidBody());
  auto result = ApplyPatch(current, {{"dimensions_mm", {{"width", 600}}}, {"photo_url", nullptr}});
  ASSERT_TRUE(std::holds_alternative<ProductFields>(result));
  EXPECT_EQ(std::get<ProductFields>(result).dimensions_mm, (Dimensions{450, 600, 900}));
  EXPECT_EQ(std::get<ProductFields>(result).photo_url, std::nullopt);
}

TEST(ReadProductPatch, AnEmptyPatchKeepsEverything) {
  const ProductFields current = Valid(ValidBody());
  auto result = ApplyPatch(current, json::object());
  ASSERT_TRUE(std::holds_alternative<ProductFields>(result));
  EXPECT_EQ(std::get<ProductFields>(result), current);
}

TEST(ReadProductPatch, ValidatesTheMergedResultNamingEveryField) {
  const ProductFields current = Valid(ValidBody());
  auto result = ApplyPatch(current, {{"name", nullptr},
                                     {"version", 9},
                                     {"dimensions_mm", {{"depth", 1}, {"height", -1}}},
                                     {"tags", {"ok", "BAD TAG"}},
                                     {"nmae", "typo"}});
  ASSERT_TRUE(std::holds_alternative<Problems>(result));
  EXPECT_EQ(Fields(std::get<Problems>(result)),
            (std::vector<std::string>{"nmae", "version", "name", "dimensions_mm.depth",
                                      "dimensions_mm.height", "tags[1]"}));
  EXPECT_TRUE(std::holds_alternative<Problems>(ApplyPatch(current, json::array())));
  EXPECT_TRUE(std::holds_alternative<Problems>(ApplyPatch(current, {{"dimensions_mm", 5}})));
}

using fixtures::Current;

// DecidePatch of a patch as the route reads it.
PatchDecision DecideJsonPatch(const Product& current, const std::optional<IfMatch>& precondition,
                              const json& patch) {
  return DecidePatch(current, precondition, ReadProductPatch(patch));
}

TEST(DecidePatch, ChangesTheMergedFields) {
  const auto decision = DecideJsonPatch(Current(), std::nullopt, {{"name", "Walnut chair"}});
  ASSERT_TRUE(std::holds_alternative<patch::Changed>(decision));
  EXPECT_EQ(std::get<patch::Changed>(decision).fields.name, "Walnut chair");
  EXPECT_EQ(std::get<patch::Changed>(decision).fields.sku, "OAK-1");
}

TEST(DecidePatch, AChangeToNothingIsUnchanged) {
  EXPECT_TRUE(std::holds_alternative<patch::Unchanged>(DecideJsonPatch(Current(), std::nullopt, json::object())));
  // Same values, once normalised: tags are lower-cased before comparing.
  EXPECT_TRUE(std::holds_alternative<patch::Unchanged>(
      DecideJsonPatch(Current(), std::nullopt, {{"name", "Oak chair"}, {"tags", {"OAK", "oak"}}})));
}

TEST(DecidePatch, ChecksThePreconditionFirst) {
  Product archived = Current();
  archived.archived = true;
  const auto decision = DecideJsonPatch(archived, ParseIfMatch("\"2\""), {{"name", ""}});
  ASSERT_TRUE(std::holds_alternative<patch::VersionMismatch>(decision));
  EXPECT_EQ(std::get<patch::VersionMismatch>(decision).current_version, 3);
  EXPECT_TRUE(std::holds_alternative<patch::Changed>(
      DecideJsonPatch(Current(), ParseIfMatch("\"3\""), {{"name", "New"}})));
}

TEST(DecidePatch, RefusesArchivedProductsBeforeValidating) {
  Product archived = Current();
  archived.archived = true;
  EXPECT_TRUE(std::holds_alternative<patch::Archived>(DecideJsonPatch(archived, std::nullopt, {{"name", ""}})));
  EXPECT_TRUE(
      std::holds_alternative<patch::Archived>(DecideJsonPatch(archived, ParseIfMatch("*"), json::object())));
}

TEST(DecidePatch, ReportsInvalidMergedFields) {
  const auto decision = DecideJsonPatch(Current(), std::nullopt, {{"price_minor", -1}, {"sku", ""}});
  ASSERT_TRUE(std::holds_alternative<patch::Invalid>(decision));
  EXPECT_EQ(std::get<patch::Invalid>(decision).problems.size(), 2u);
}

TEST(FieldsJson, IsACreateRequestThatReadsBackToTheSameFields) {
  const ProductFields fields = Valid(ValidBody());
  const json body = FieldsJson(fields);
  EXPECT_EQ(body.size(), 10u);
  EXPECT_EQ(body["photo_url"], "https://picsum.photos/seed/OAK-CHAIR-1/400/300");
  EXPECT_EQ(body["dimensions_mm"], (json{{"length", 450}, {"width", 520}, {"height", 900}}));
  EXPECT_EQ(Valid(body), fields);
  EXPECT_EQ(FieldsJson(ProductFields{})["photo_url"], nullptr);
}

TEST(ProductJson, IsTheFieldsWithWhatTheCatalogueAdds) {
  Product product = Current();
  product.in_stock = true;
  const json body = ProductJson(product);
  json expected = FieldsJson(product.fields);
  expected["id"] = product.id;
  expected["archived"] = false;
  expected["version"] = 3;
  expected["created_at"] = "2026-01-01T10:00:00.000Z";
  expected["updated_at"] = "2026-01-02T10:00:00.000Z";
  expected["in_stock"] = true;
  EXPECT_EQ(body, expected);
}

TEST(NormalizeTag, LowerCasesAndChecksCharacters) {
  EXPECT_EQ(NormalizeTag("Dining-Room-2"), "dining-room-2");
  EXPECT_EQ(NormalizeTag(""), std::nullopt);
  EXPECT_EQ(NormalizeTag("a b"), std::nullopt);
  EXPECT_EQ(NormalizeTag("Ёлка"), std::nullopt);
}

}  // namespace
}  // namespace microstore::catalog::api
