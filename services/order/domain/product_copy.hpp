#pragma once

#include <cstdint>
#include <string>

// The order service's copy of the catalogue, kept from catalog's events and read to price new
// orders, and the changes those events make to it.
namespace microstore::order {

// A product as the copy knows it.
struct ProductCopy {
  std::string product_id;
  std::string sku;
  std::string name;
  std::int64_t price_minor = 0;
  std::string currency;
  bool archived = false;
  // The catalogue version of sku, name and archived; 0 while only a price or nothing is known
  // (an event overtook ProductCreated): such a product cannot be ordered yet.
  std::int64_t version = 0;

  bool operator==(const ProductCopy&) const = default;
};

// catalog's ProductPriceChanged: the price at catalogue version `version`.
struct PriceChange {
  std::string product_id;
  std::string sku;
  std::int64_t price_minor = 0;
  std::string currency;
  std::int64_t version = 0;

  bool operator==(const PriceChange&) const = default;
};

// catalog's ProductArchived at catalogue version `version`.
struct ArchivedProduct {
  std::string product_id;
  std::string sku;
  std::int64_t version = 0;

  bool operator==(const ArchivedProduct&) const = default;
};

}  // namespace microstore::order
