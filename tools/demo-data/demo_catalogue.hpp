#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

#include "catalog/domain/product.hpp"

// A demo catalogue for local runs, benchmarks and the storefront: realistic and varied, and the
// same on every call (no clock, no randomness beyond a fixed-seed generator).
namespace microstore::demo {

using catalog::NewProduct;

// `count` products over ten categories (furniture, kitchen, lighting, textiles, garden,
// electronics, books, toys, sports, stationery), about half with English and half with Russian
// names and descriptions (e.g. "Oak dining chair", "Дубовый обеденный стул"), prices in RUB,
// weights and dimensions that suit the item, the category and material as tags, about one in
// seven on promotion, and photos https://picsum.photos/seed/<sku>/400/300. SKUs
// ("FUR-00001", …) are unique; every product passes catalog's ReadNewProduct (the create request's rules). Product i is the same
// whatever `count` is, so a larger catalogue extends a smaller one.
std::vector<NewProduct> DemoProducts(std::size_t count);

// The body of POST /api/v1/products that creates `product`.
nlohmann::json ToCreateRequest(const NewProduct& product);

}  // namespace microstore::demo
