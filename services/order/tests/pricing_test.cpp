// Pricing a new order from the product copies.
#include "order/domain/pricing.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace microstore::order {
namespace {

const std::string kChair = "11111111-1111-4111-8111-111111111111";
const std::string kTable = "22222222-2222-4222-8222-222222222222";
const std::string kLamp = "33333333-3333-4333-8333-333333333333";

ProductCopy Copy(const std::string& id, std::int64_t price, std::string currency = "RUB") {
  return {.product_id = id,
          .sku = "SKU-" + id.substr(0, 4),
          .name = "Product " + id.substr(0, 4),
          .price_minor = price,
          .currency = std::move(currency),
          .archived = false,
          .version = 1};
}

core::FieldErrors ProblemsOf(const std::variant<PricedOrder, core::FieldErrors>& result) {
  const auto* problems = std::get_if<core::FieldErrors>(&result);
  return problems ? *problems : core::FieldErrors{};
}

TEST(Pricing, EachLineIsUnitPriceTimesQuantityAndTheTotalTheirSum) {
  const auto result =
      PriceOrder({{kChair, 2}, {kTable, 1}}, {Copy(kTable, 1'500'000), Copy(kChair, 649'000)});
  ASSERT_TRUE(std::holds_alternative<PricedOrder>(result)) << ProblemsOf(result).front().message;
  const PricedOrder& priced = std::get<PricedOrder>(result);
  ASSERT_EQ(priced.items.size(), 2u);
  EXPECT_EQ(priced.items[0], (OrderItem{kChair, "SKU-1111", "Product 1111", 2, 649'000, 1'298'000}));
  EXPECT_EQ(priced.items[1], (OrderItem{kTable, "SKU-2222", "Product 2222", 1, 1'500'000, 1'500'000}));
  EXPECT_EQ(priced.total_minor, 2'798'000);
  EXPECT_EQ(priced.currency, "RUB");
}

TEST(Pricing, FreeProductsCostNothing) {
  const auto result = PriceOrder({{kChair, 3}}, {Copy(kChair, 0)});
  ASSERT_TRUE(std::holds_alternative<PricedOrder>(result));
  EXPECT_EQ(std::get<PricedOrder>(result).total_minor, 0);
}

TEST(Pricing, UnknownArchivedAndNotYetKnownProductsAreNamedByTheirLine) {
  ProductCopy archived = Copy(kTable, 100);
  archived.archived = true;
  ProductCopy price_only = Copy(kLamp, 100);  // ProductPriceChanged overtook ProductCreated
  price_only.version = 0;
  const std::string unknown = "44444444-4444-4444-8444-444444444444";
  const auto problems = ProblemsOf(PriceOrder({{kChair, 1}, {kTable, 1}, {kLamp, 1}, {unknown, 1}},
                                              {Copy(kChair, 100), archived, price_only}));
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].field, "items[1].product_id");
  EXPECT_NE(problems[0].message.find("archived"), std::string::npos);
  EXPECT_EQ(problems[1].field, "items[2].product_id");
  EXPECT_EQ(problems[2].field, "items[3].product_id");
  EXPECT_NE(problems[2].message.find("not a product"), std::string::npos);
}

TEST(Pricing, AllItemsShareOneCurrency) {
  const auto problems =
      ProblemsOf(PriceOrder({{kChair, 1}, {kTable, 1}, {kLamp, 1}},
                            {Copy(kChair, 100, "RUB"), Copy(kTable, 100, "EUR"), Copy(kLamp, 5)}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "items[1].product_id");
  EXPECT_NE(problems[0].message.find("EUR"), std::string::npos);
  EXPECT_NE(problems[0].message.find("RUB"), std::string::npos);
}

TEST(Pricing, ATotalThatOverflowsIsRefused) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  // One line overflowing by itself.
  auto problems = ProblemsOf(PriceOrder({{kChair, 1000}}, {Copy(kChair, kMax / 10)}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "items");
  // Lines that fit, a sum that does not.
  problems = ProblemsOf(
      PriceOrder({{kChair, 1}, {kTable, 1}}, {Copy(kChair, kMax / 2 + 1), Copy(kTable, kMax / 2 + 1)}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "items");
  // Exactly the maximum fits.
  const auto fits = PriceOrder({{kChair, 1}, {kTable, 1}}, {Copy(kChair, kMax - 1), Copy(kTable, 1)});
  ASSERT_TRUE(std::holds_alternative<PricedOrder>(fits));
  EXPECT_EQ(std::get<PricedOrder>(fits).total_minor, kMax);
}

}  // namespace
}  // namespace microstore::order
