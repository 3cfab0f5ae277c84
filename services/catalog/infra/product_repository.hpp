#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/domain/availability.hpp"
#include "catalog/domain/listing.hpp"
#include "catalog/domain/product.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The products table (migrations/*.sql). Every statement is parameterised. `id` arguments must
// be UUIDs (core::IsUuid); callers answer 404 for anything else. Functions taking a Transaction
// must be awaited while it is alive.
namespace microstore::catalog {

// Stores a new product (version 1, created_at = updated_at = the transaction's time). nullopt
// when another product has its SKU (the unique constraint products_sku_key): the transaction is
// then aborted.
boost::asio::awaitable<std::optional<Product>> InsertProduct(pg::Transaction& transaction, std::string id,
                                                             ProductFields fields);

boost::asio::awaitable<std::optional<Product>> FindProduct(pg::Pool& pool, std::string id);

// The product, locked against concurrent changes until the transaction ends.
boost::asio::awaitable<std::optional<Product>> LockProduct(pg::Transaction& transaction, std::string id);

// Replaces the editable fields; version + 1, updated_at = now. nullopt when another product has
// the SKU, as for InsertProduct.
boost::asio::awaitable<std::optional<Product>> UpdateProductFields(pg::Transaction& transaction,
                                                                   std::string id, ProductFields fields);

// Marks the product archived; version + 1, updated_at = now.
boost::asio::awaitable<Product> MarkArchived(pg::Transaction& transaction, std::string id);

// Up to `rows` unarchived products matching `query` (words, filters), in the query's sort order,
// strictly after `after` when given.
boost::asio::awaitable<std::vector<ListedProduct>> SelectProducts(pg::Pool& pool, ListQuery query,
                                                                  std::optional<CursorPosition> after,
                                                                  std::size_t rows);

// The stock version the product's availability came from (0 before any), locked until the
// transaction ends; nullopt when there is no such product.
boost::asio::awaitable<std::optional<std::int64_t>> LockStockVersion(pg::Transaction& transaction,
                                                                     std::string product_id);

// Sets the product's in_stock and the stock version it came from; neither version nor updated_at
// changes (availability is not the admin's).
boost::asio::awaitable<void> SaveAvailability(pg::Transaction& transaction, Availability availability);

}  // namespace microstore::catalog
