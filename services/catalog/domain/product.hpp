#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// A product of the catalogue: the fields an admin edits, and what the catalogue adds (id, version,
// archived flag, timestamps). Pure values; money is an integer of minor units plus a currency.
namespace microstore::catalog {

inline constexpr std::size_t kMaxSkuLength = 64;
inline constexpr std::size_t kMaxNameCharacters = 200;
inline constexpr std::size_t kMaxDescriptionCharacters = 5000;
inline constexpr std::size_t kMaxPhotoUrlBytes = 2048;
inline constexpr std::int64_t kMaxPriceMinor = 1'000'000'000'000;  // 10^12
inline constexpr std::int64_t kMaxMeasure = 10'000'000;            // grams or millimetres, 10^7
inline constexpr std::size_t kMaxTags = 20;
inline constexpr std::size_t kMaxTagLength = 40;

struct Dimensions {
  std::int64_t length = 0;
  std::int64_t width = 0;
  std::int64_t height = 0;

  bool operator==(const Dimensions&) const = default;
};

// What an admin sets: a create request once read, and the editable part of a product. Valid values
// obey the rules of validation.hpp: tags lower-case and unique. The defaults are those of a create
// request that leaves a field out.
struct ProductFields {
  std::string sku;
  std::string name;
  std::string description;
  std::optional<std::string> photo_url;
  std::int64_t price_minor = 0;
  std::string currency;
  std::int64_t weight_grams = 0;
  Dimensions dimensions_mm;
  std::vector<std::string> tags;
  bool on_promotion = false;

  bool operator==(const ProductFields&) const = default;
};

// A product about to be created (the demo catalogue produces these).
using NewProduct = ProductFields;

struct Product {
  std::string id;  // UUID text
  ProductFields fields;
  bool archived = false;
  std::int64_t version = 1;  // 1 at creation, +1 per change
  std::string created_at;    // RFC 3339 UTC with milliseconds
  std::string updated_at;
  // Availability as stock last reported it (StockLevelChanged). Not the admin's: it changes neither
  // version nor updated_at and is not part of the product's own events.
  bool in_stock = false;

  // The aggregate status carried by events: "ACTIVE" or "ARCHIVED".
  std::string_view Status() const { return archived ? "ARCHIVED" : "ACTIVE"; }

  bool operator==(const Product&) const = default;
};

}  // namespace microstore::catalog
