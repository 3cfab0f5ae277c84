#pragma once

#include <cstdint>
#include <variant>

#include "catalog/domain/product.hpp"

// The events the catalogue emits (contracts/asyncapi.yaml), each about one product as it is after
// the change: its id, version and status are the event's aggregate. infra/events.cpp writes them
// as outbox rows.
namespace microstore::catalog {

// The product as created: every field but in_stock (stock's news, not the product's).
struct ProductCreated {
  Product product;

  bool operator==(const ProductCreated&) const = default;
};

// The product after an admin's change, in the shape of ProductCreated.
struct ProductUpdated {
  Product product;

  bool operator==(const ProductUpdated&) const = default;
};

// With ProductUpdated, at the same version, when price_minor or currency changed.
struct ProductPriceChanged {
  Product product;
  std::int64_t old_price_minor = 0;

  bool operator==(const ProductPriceChanged&) const = default;
};

struct ProductArchived {
  Product product;

  bool operator==(const ProductArchived&) const = default;
};

using Event = std::variant<ProductCreated, ProductUpdated, ProductPriceChanged, ProductArchived>;

}  // namespace microstore::catalog
