// The catalogue's events as outbox rows (infra/events.cpp): types, aggregates and payloads as
// contracts/asyncapi.yaml has them.
#include "catalog/infra/events.hpp"

#include <gtest/gtest.h>

#include "catalog/domain/changes.hpp"
#include "catalog/tests/fixtures.hpp"

namespace microstore::catalog {
namespace {

using nlohmann::json;

using fixtures::Current;

TEST(Events, CreatedCarriesTheFullProductAsProductId) {
  Product product = Current();
  product.in_stock = true;
  const auto events = ToDrafts(CreatedEvents(product));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "ProductCreated");
  EXPECT_EQ(events[0].schema_version, 1);
  const json& payload = events[0].payload;
  EXPECT_FALSE(payload.contains("id"));
  EXPECT_FALSE(payload.contains("in_stock"));
  EXPECT_EQ(payload["product_id"], product.id);
  for (const char* field :
       {"sku", "name", "description", "photo_url", "price_minor", "currency", "weight_grams", "dimensions_mm",
        "tags", "on_promotion", "archived", "version", "created_at", "updated_at"}) {
    EXPECT_TRUE(payload.contains(field)) << field;
  }
  EXPECT_EQ(payload.size(), 15u);
  EXPECT_EQ(payload["photo_url"], nullptr);
  EXPECT_EQ(payload["version"], 3);
  // Byte for byte what the catalogue has always written.
  EXPECT_EQ(payload.dump(),
            R"({"archived":false,"created_at":"2026-01-01T10:00:00.000Z","currency":"RUB","description":"",)"
            R"("dimensions_mm":{"height":0,"length":0,"width":0},"name":"Oak chair","on_promotion":false,)"
            R"("photo_url":null,"price_minor":649000,"product_id":"0b7d2f3e-52c4-4a8e-9d3f-2c1e5b7a9f10",)"
            R"("sku":"OAK-1","tags":["oak"],"updated_at":"2026-01-02T10:00:00.000Z","version":3,)"
            R"("weight_grams":0})");
}

TEST(Events, PriceChangeAddsProductPriceChanged) {
  const Product before = Current();
  Product after = before;
  after.version = 4;
  after.fields.name = "Renamed";
  EXPECT_EQ(ToDrafts(UpdatedEvents(before, after)).size(), 1u);

  after.fields.price_minor = 599000;
  auto events = ToDrafts(UpdatedEvents(before, after));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "ProductUpdated");
  EXPECT_EQ(events[0].payload["name"], "Renamed");
  EXPECT_EQ(events[1].type, "ProductPriceChanged");
  EXPECT_EQ(events[1].payload, (json{{"product_id", before.id},
                                     {"sku", "OAK-1"},
                                     {"old_price_minor", 649000},
                                     {"price_minor", 599000},
                                     {"currency", "RUB"}}));
  EXPECT_EQ(events[1].aggregate, events[0].aggregate);

  after.fields.price_minor = before.fields.price_minor;
  after.fields.currency = "EUR";
  events = ToDrafts(UpdatedEvents(before, after));
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
  const auto events = ToDrafts(ArchivedEvents(product));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "ProductArchived");
  EXPECT_EQ(events[0].aggregate, AggregateOf(product));
  EXPECT_EQ(events[0].payload, (json{{"product_id", product.id}, {"sku", "OAK-1"}}));
}

}  // namespace
}  // namespace microstore::catalog
