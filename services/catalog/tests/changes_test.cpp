// Changing a product, on plain values: If-Match, what a patch does, and the typed events of each
// change. (Patches as the route reads them: validation_test.cpp; the events' payloads:
// events_test.cpp.)
#include "catalog/domain/changes.hpp"

#include <gtest/gtest.h>

#include "catalog/tests/fixtures.hpp"

namespace microstore::catalog {
namespace {

using fixtures::Current;

TEST(ParseIfMatch, ReadsStrongVersionTagsAndStar) {
  EXPECT_TRUE(ParseIfMatch("*")->any);
  EXPECT_EQ(ParseIfMatch("\"3\"")->versions, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(ParseIfMatch(" \"3\" , \"17\" ")->versions, (std::vector<std::int64_t>{3, 17}));
  // Well-formed tags that are weak or not ours parse but match nothing.
  EXPECT_TRUE(ParseIfMatch("W/\"3\"")->versions.empty());
  EXPECT_TRUE(ParseIfMatch("\"abc\"")->versions.empty());
  EXPECT_TRUE(ParseIfMatch("\"0\"")->versions.empty());
  EXPECT_TRUE(ParseIfMatch("\"99999999999999999999999\"")->versions.empty());
}

TEST(ParseIfMatch, RefusesMalformedHeaders) {
  for (const char* bad : {"", " ", "3", "\"3", "3\"", "\"3\" \"4\"", "\"a b\"", ",", "W/3", "\"\"\""}) {
    EXPECT_FALSE(ParseIfMatch(bad)) << bad;
  }
}

TEST(Matches, ComparesVersions) {
  EXPECT_TRUE(Matches(*ParseIfMatch("\"2\", \"3\""), 3));
  EXPECT_FALSE(Matches(*ParseIfMatch("\"2\""), 3));
  EXPECT_FALSE(Matches(*ParseIfMatch("W/\"3\""), 3));
  EXPECT_TRUE(Matches(*ParseIfMatch("*"), 3));
  EXPECT_EQ(EntityTag(3), "\"3\"");
}

TEST(Patched, SetsWhatThePatchGivesMeasureByMeasure) {
  ProductFields current = Current().fields;
  current.photo_url = "https://example.com/oak.jpg";
  current.dimensions_mm = {450, 520, 900};
  EXPECT_EQ(Patched(current, {}), current);

  ProductPatch patch;
  patch.name = "Walnut chair";
  patch.photo_url.emplace(std::nullopt);
  patch.dimensions_mm.width = 600;
  patch.tags = std::vector<std::string>{};
  ProductFields expected = current;
  expected.name = "Walnut chair";
  expected.photo_url.reset();
  expected.dimensions_mm.width = 600;
  expected.tags.clear();
  EXPECT_EQ(Patched(current, patch), expected);

  patch = {};
  patch.photo_url = std::optional<std::string>("https://example.com/walnut.jpg");
  patch.price_minor = 1;
  patch.on_promotion = true;
  const ProductFields changed = Patched(current, patch);
  EXPECT_EQ(changed.photo_url, "https://example.com/walnut.jpg");
  EXPECT_EQ(changed.price_minor, 1);
  EXPECT_TRUE(changed.on_promotion);
  EXPECT_EQ(changed.dimensions_mm, current.dimensions_mm);
}

TEST(DecidePatch, ChangesThePatchedFields) {
  ProductPatch patch;
  patch.name = "Walnut chair";
  const auto decision = DecidePatch(Current(), std::nullopt, patch);
  ASSERT_TRUE(std::holds_alternative<patch::Changed>(decision));
  EXPECT_EQ(std::get<patch::Changed>(decision).fields.name, "Walnut chair");
  EXPECT_EQ(std::get<patch::Changed>(decision).fields.sku, "OAK-1");
}

TEST(DecidePatch, APatchToTheCurrentValuesIsUnchanged) {
  EXPECT_TRUE(std::holds_alternative<patch::Unchanged>(DecidePatch(Current(), std::nullopt, ProductPatch{})));
  ProductPatch same;
  same.name = "Oak chair";
  same.tags = std::vector<std::string>{"oak"};
  EXPECT_TRUE(std::holds_alternative<patch::Unchanged>(DecidePatch(Current(), ParseIfMatch("\"3\""), same)));
}

TEST(DecidePatch, ThePreconditionThenTheArchivedFlagComeBeforeTheRequestsProblems) {
  const PatchRequest invalid = core::FieldErrors{{"name", "must be 1 to 200 characters"}};
  Product archived = Current();
  archived.archived = true;
  const auto mismatch = DecidePatch(archived, ParseIfMatch("\"2\""), invalid);
  ASSERT_TRUE(std::holds_alternative<patch::VersionMismatch>(mismatch));
  EXPECT_EQ(std::get<patch::VersionMismatch>(mismatch).current_version, 3);
  EXPECT_TRUE(std::holds_alternative<patch::Archived>(DecidePatch(archived, std::nullopt, invalid)));
  EXPECT_TRUE(
      std::holds_alternative<patch::Archived>(DecidePatch(archived, ParseIfMatch("*"), ProductPatch{})));
  const auto refused = DecidePatch(Current(), ParseIfMatch("\"3\""), invalid);
  ASSERT_TRUE(std::holds_alternative<patch::Invalid>(refused));
  EXPECT_EQ(std::get<patch::Invalid>(refused).problems, std::get<core::FieldErrors>(invalid));
}

TEST(Events, CreatedAndArchivedCarryTheProductAsSaved) {
  Product product = Current();
  EXPECT_EQ(CreatedEvents(product), (std::vector<Event>{ProductCreated{product}}));
  product.archived = true;
  product.version = 4;
  EXPECT_EQ(ArchivedEvents(product), (std::vector<Event>{ProductArchived{product}}));
}

TEST(Events, APriceChangeAddsProductPriceChanged) {
  const Product before = Current();
  Product after = before;
  after.version = 4;
  after.fields.name = "Renamed";
  EXPECT_EQ(UpdatedEvents(before, after), (std::vector<Event>{ProductUpdated{after}}));

  after.fields.price_minor = 599000;
  EXPECT_EQ(UpdatedEvents(before, after),
            (std::vector<Event>{ProductUpdated{after}, ProductPriceChanged{after, 649000}}));

  after.fields.price_minor = before.fields.price_minor;
  after.fields.currency = "EUR";
  EXPECT_EQ(UpdatedEvents(before, after),
            (std::vector<Event>{ProductUpdated{after}, ProductPriceChanged{after, 649000}}));
}

}  // namespace
}  // namespace microstore::catalog
