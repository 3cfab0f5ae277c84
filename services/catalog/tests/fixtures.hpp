// The product the domain tests of the catalogue change: stored, at version 3.
#pragma once

#include "catalog/domain/product.hpp"

namespace microstore::catalog::fixtures {

inline Product Current() {
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

}  // namespace microstore::catalog::fixtures
