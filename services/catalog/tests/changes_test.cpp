#include "catalog/domain/changes.hpp"

#include <gtest/gtest.h>

namespace microstore::catalog {
namespace {

using nlohmann::json;

Product Current() {
  Product product;
  product.id = "0b7d2f3e-52c4-4a8e-9d3f-2c1e5b7a9f10";
  product.fields.sku = "OAK-1";
  product.fields.name = "Oak chair";
  product.fields.price_minor = 649000;
  product.fields.currency = "RUB";
  product.fields.tags = {"oak"};
  product.version = 3;
  product.created_at = "2026-01-01T10:00:00.000Z";
  product.updated_at = "2026-01-02T10:00:00.000Z";
  return product;
}

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

TEST(DecidePatch, ChangesTheMergedFields) {
  const auto decision = DecidePatch(Current(), std::nullopt, {{"name", "Walnut chair"}});
  ASSERT_TRUE(std::holds_alternative<patch::Changed>(decision));
  EXPECT_EQ(std::get<patch::Changed>(decision).fields.name, "Walnut chair");
  EXPECT_EQ(std::get<patch::Changed>(decision).fields.sku, "OAK-1");
}

TEST(DecidePatch, AChangeToNothingIsUnchanged) {
  EXPECT_TRUE(std::holds_alternative<patch::Unchanged>(DecidePatch(Current(), std::nullopt, json::object())));
  // Same values, once normalised: tags are lower-cased before comparing.
  EXPECT_TRUE(std::holds_alternative<patch::Unchanged>(
      DecidePatch(Current(), std::nullopt, {{"name", "Oak chair"}, {"tags", {"OAK", "oak"}}})));
}

TEST(DecidePatch, ChecksThePreconditionFirst) {
  Product archived = Current();
  archived.archived = true;
  const auto decision = DecidePatch(archived, ParseIfMatch("\"2\""), {{"name", ""}});
  ASSERT_TRUE(std::holds_alternative<patch::VersionMismatch>(decision));
  EXPECT_EQ(std::get<patch::VersionMismatch>(decision).current_version, 3);
  EXPECT_TRUE(std::holds_alternative<patch::Changed>(
      DecidePatch(Current(), ParseIfMatch("\"3\""), {{"name", "New"}})));
}

TEST(DecidePatch, RefusesArchivedProductsBeforeValidating) {
  Product archived = Current();
  archived.archived = true;
  EXPECT_TRUE(std::holds_alternative<patch::Archived>(DecidePatch(archived, std::nullopt, {{"name", ""}})));
  EXPECT_TRUE(
      std::holds_alternative<patch::Archived>(DecidePatch(archived, ParseIfMatch("*"), json::object())));
}

TEST(DecidePatch, ReportsInvalidMergedFields) {
  const auto decision = DecidePatch(Current(), std::nullopt, {{"price_minor", -1}, {"sku", ""}});
  ASSERT_TRUE(std::holds_alternative<patch::Invalid>(decision));
  EXPECT_EQ(std::get<patch::Invalid>(decision).problems.size(), 2u);
}

TEST(Events, CreatedCarriesTheFullProductAsProductId) {
  const Product product = Current();
  const auto events = CreatedEvents(product);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "ProductCreated");
  const json& payload = events[0].payload;
  EXPECT_FALSE(payload.contains("id"));
  EXPECT_EQ(payload["product_id"], product.id);
  for (const char* field :
       {"sku", "name", "description", "photo_url", "price_minor", "currency", "weight_grams", "dimensions_mm",
        "tags", "on_promotion", "archived", "version", "created_at", "updated_at"}) {
    EXPECT_TRUE(payload.contains(field)) << field;
  }
  EXPECT_EQ(payload.size(), 15u);
  EXPECT_EQ(payload["photo_url"], nullptr);
  EXPECT_EQ(payload["version"], 3);
}

TEST(Events, PriceChangeAddsProductPriceChanged) {
  const Product before = Current();
  Product after = before;
  after.version = 4;
  after.fields.name = "Renamed";
  EXPECT_EQ(UpdatedEvents(before, after).size(), 1u);

  after.fields.price_minor = 599000;
  auto events = UpdatedEvents(before, after);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "ProductUpdated");
  EXPECT_EQ(events[0].payload["name"], "Renamed");
  EXPECT_EQ(events[1].type, "ProductPriceChanged");
  EXPECT_EQ(events[1].payload, (json{{"product_id", before.id},
                                     {"sku", "OAK-1"},
                                     {"old_price_minor", 649000},
                                     {"price_minor", 599000},
                                     {"currency", "RUB"}}));

  after.fields.price_minor = before.fields.price_minor;
  after.fields.currency = "EUR";
  events = UpdatedEvents(before, after);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].payload["old_price_minor"], events[1].payload["price_minor"]);
  EXPECT_EQ(events[1].payload["currency"], "EUR");
}

TEST(Events, ArchivedAndAggregate) {
  Product product = Current();
  EXPECT_EQ(AggregateOf(product), (messaging::AggregateRef{"product", product.id, 3, "ACTIVE"}));
  product.archived = true;
  product.version = 4;
  EXPECT_EQ(AggregateOf(product), (messaging::AggregateRef{"product", product.id, 4, "ARCHIVED"}));
  const auto events = ArchivedEvents(product);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "ProductArchived");
  EXPECT_EQ(events[0].payload, (json{{"product_id", product.id}, {"sku", "OAK-1"}}));
}

}  // namespace
}  // namespace microstore::catalog
