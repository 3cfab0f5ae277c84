#include "catalog/domain/availability.hpp"

#include <gtest/gtest.h>

namespace microstore::catalog {
namespace {

const char* kProduct = "0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4";

messaging::Envelope StockLevelChanged(nlohmann::json payload, std::int64_t version = 3) {
  return messaging::MakeEvent("StockLevelChanged", 1, {"stock_item", kProduct, version, "IN_STOCK"},
                              std::move(payload), {}, "stock", "stock-1",
                              "5f1d7c9e-1111-4222-8333-944455556666", std::chrono::system_clock::now());
}

TEST(ParseStockLevelChanged, ReadsProductAvailabilityAndTheItemsVersion) {
  const auto parsed = ParseStockLevelChanged(
      StockLevelChanged({{"product_id", kProduct}, {"in_stock", true}, {"free", 4}, {"version", 3}}));
  ASSERT_TRUE(std::holds_alternative<Availability>(parsed)) << std::get<std::string>(parsed);
  EXPECT_EQ(std::get<Availability>(parsed), (Availability{kProduct, true, 3}));
}

TEST(ParseStockLevelChanged, RefusesUnusablePayloads) {
  const auto error = [](nlohmann::json payload, std::int64_t version = 3) {
    const auto parsed = ParseStockLevelChanged(StockLevelChanged(std::move(payload), version));
    return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
  };
  EXPECT_EQ(error({{"in_stock", true}}), "payload.product_id must be a UUID");
  EXPECT_EQ(error({{"product_id", "42"}, {"in_stock", true}}), "payload.product_id must be a UUID");
  EXPECT_EQ(error({{"product_id", kProduct}}), "payload.in_stock must be true or false");
  EXPECT_EQ(error({{"product_id", kProduct}, {"in_stock", "yes"}}), "payload.in_stock must be true or false");
  EXPECT_EQ(error({{"product_id", kProduct}, {"in_stock", false}}, 0), "aggregate.version must be at least 1");
}

}  // namespace
}  // namespace microstore::catalog
