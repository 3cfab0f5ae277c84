// Availability from stock's StockLevelChanged: the payload as api/json.cpp reads it, and the
// domain's decision that the newest stock version wins.
#include "catalog/domain/availability.hpp"

#include <gtest/gtest.h>

#include "catalog/api/json.hpp"
#include "platform/messaging/inbox.hpp"

namespace microstore::catalog::api {
namespace {

const char* kProduct = "0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4";

messaging::Envelope StockLevelChanged(nlohmann::json payload, std::int64_t version = 3) {
  return messaging::MakeEvent("StockLevelChanged", 1, {"stock_item", kProduct, version, "IN_STOCK"},
                              std::move(payload), {}, "stock", "stock-1",
                              "5f1d7c9e-1111-4222-8333-944455556666", std::chrono::system_clock::now());
}

TEST(ReadStockLevelChanged, ReadsProductAvailabilityAndTheItemsVersion) {
  EXPECT_EQ(ReadStockLevelChanged(
                StockLevelChanged({{"product_id", kProduct}, {"in_stock", true}, {"free", 4}, {"version", 3}})),
            (Availability{kProduct, true, 3}));
}

TEST(ReadStockLevelChanged, RefusesUnusablePayloads) {
  const auto error = [](nlohmann::json payload, std::int64_t version = 3) -> std::string {
    try {
      ReadStockLevelChanged(StockLevelChanged(std::move(payload), version));
    } catch (const messaging::PoisonEvent& poison) {
      return poison.what();
    }
    return "";
  };
  // The platform's wording (messaging::PayloadReader).
  EXPECT_EQ(error({{"in_stock", true}}), "StockLevelChanged payload has no product_id");
  EXPECT_EQ(error({{"product_id", "42"}, {"in_stock", true}}),
            "StockLevelChanged payload field product_id is not a UUID");
  EXPECT_EQ(error({{"product_id", kProduct}}), "StockLevelChanged payload has no in_stock");
  EXPECT_EQ(error({{"product_id", kProduct}, {"in_stock", "yes"}}),
            "StockLevelChanged payload field in_stock is not a boolean");
  EXPECT_EQ(error({{"product_id", kProduct}, {"in_stock", false}}, 0),
            "StockLevelChanged has aggregate version below 1");
}

TEST(DecideAvailability, TheNewestStockVersionWins) {
  const Availability reported{kProduct, true, 3};
  const auto fresh = DecideAvailability(2, reported);
  ASSERT_FALSE(core::IfUnchanged(fresh));
  EXPECT_EQ(core::ChangedOf(fresh).next, reported);
  EXPECT_TRUE(core::ChangedOf(fresh).events.empty());
  EXPECT_EQ(core::ChangedOf(DecideAvailability(0, reported)).next, reported);

  for (const std::int64_t shown : {3, 4}) {
    const auto stale = DecideAvailability(shown, reported);
    ASSERT_TRUE(core::IfUnchanged(stale)) << shown;
    EXPECT_EQ(core::IfUnchanged(stale)->kind, core::Unchanged::Kind::kStale);
  }
  const auto unknown = DecideAvailability(std::nullopt, reported);
  ASSERT_TRUE(core::IfUnchanged(unknown));
  EXPECT_EQ(core::IfUnchanged(unknown)->kind, core::Unchanged::Kind::kIgnored);
}

}  // namespace
}  // namespace microstore::catalog::api
