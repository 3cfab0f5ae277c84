#include "demo_catalogue.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "catalog/api/json.hpp"

namespace microstore::demo {

using catalog::ProductFields;
using catalog::api::ReadNewProduct;
using Problems = core::FieldErrors;
namespace {

bool HasCyrillic(const std::string& text) {
  return text.find("\xD0") != std::string::npos || text.find("\xD1") != std::string::npos;
}

TEST(DemoProducts, EveryProductPassesValidationThroughItsCreateRequest) {
  for (const NewProduct& product : DemoProducts(500)) {
    auto result = ReadNewProduct(ToCreateRequest(product));
    ASSERT_TRUE(std::holds_alternative<ProductFields>(result))
        << product.sku << ": " << std::get<Problems>(result).front().field << " "
        << std::get<Problems>(result).front().message;
    EXPECT_EQ(std::get<ProductFields>(result), product);
  }
}

TEST(DemoProducts, SkusAreUnique) {
  const auto products = DemoProducts(2000);
  std::set<std::string> skus;
  for (const auto& product : products) skus.insert(product.sku);
  EXPECT_EQ(skus.size(), products.size());
}

TEST(DemoProducts, IsDeterministicAndPrefixStable) {
  const auto products = DemoProducts(300);
  EXPECT_EQ(products, DemoProducts(300));
  const auto fewer = DemoProducts(40);
  EXPECT_TRUE(std::equal(fewer.begin(), fewer.end(), products.begin()));
  EXPECT_TRUE(DemoProducts(0).empty());
}

TEST(DemoProducts, IsVariedAndBilingual) {
  const auto products = DemoProducts(300);
  std::size_t russian = 0;
  std::size_t promoted = 0;
  std::set<std::string> names;
  std::set<std::int64_t> prices;
  std::map<std::string, int> categories;
  for (const auto& product : products) {
    if (HasCyrillic(product.name)) {
      ++russian;
      EXPECT_TRUE(HasCyrillic(product.description)) << product.sku;
    }
    if (product.on_promotion) ++promoted;
    names.insert(product.name);
    prices.insert(product.price_minor);
    ASSERT_FALSE(product.tags.empty());
    ++categories[product.tags.front()];
    EXPECT_EQ(product.currency, "RUB");
    EXPECT_GT(product.price_minor, 0);
    EXPECT_EQ(product.price_minor % 10000, 9000) << "prices end in 90 roubles: " << product.sku;
    EXPECT_GT(product.weight_grams, 0);
    EXPECT_EQ(product.photo_url, "https://picsum.photos/seed/" + product.sku + "/400/300");
  }
  EXPECT_GT(russian, 100u);
  EXPECT_LT(russian, 200u);
  EXPECT_GT(promoted, 20u);
  EXPECT_LT(promoted, 90u);
  EXPECT_GT(names.size(), 200u);
  EXPECT_GT(prices.size(), 100u);
  EXPECT_EQ(categories.size(), 10u);
  for (const auto& [category, count] : categories) EXPECT_EQ(count, 30) << category;
}

TEST(DemoProducts, ContainsTheExamplesOfBothLanguages) {
  std::set<std::string> names;
  for (const auto& product : DemoProducts(300)) names.insert(product.name);
  EXPECT_TRUE(names.count("Oak dining chair") || names.count("Дубовый обеденный стул"));
  bool english_chair = false;
  bool russian_chair = false;
  for (const auto& name : names) {
    english_chair = english_chair || name.find("dining chair") != std::string::npos;
    russian_chair = russian_chair || name.find("обеденный стул") != std::string::npos;
  }
  EXPECT_TRUE(english_chair);
  EXPECT_TRUE(russian_chair);
}

}  // namespace
}  // namespace microstore::demo
