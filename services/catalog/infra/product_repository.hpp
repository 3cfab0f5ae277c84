#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog/domain/changes.hpp"
#include "catalog/domain/listing.hpp"
#include "catalog/domain/product.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The products table (migrations/0001_create_products.sql). Every statement is parameterised.
// `id` arguments must be UUIDs (core::IsUuid); callers answer 404 for anything else. Functions taking a
// Transaction must be awaited while it is alive.
namespace microstore::catalog {

// The unique constraint on sku: a pg::UniqueViolation naming it means the SKU is taken.
inline constexpr const char* kSkuConstraint = "products_sku_key";

// Stores a new product (version 1, created_at = updated_at = the transaction's time).
boost::asio::awaitable<Product> InsertProduct(pg::Transaction& transaction, std::string id,
                                              ProductFields fields);

boost::asio::awaitable<std::optional<Product>> FindProduct(pg::Pool& pool, std::string id);

// The product, locked against concurrent changes until the transaction ends.
boost::asio::awaitable<std::optional<Product>> LockProduct(pg::Transaction& transaction, std::string id);

// Replaces the editable fields; version + 1, updated_at = now.
boost::asio::awaitable<Product> UpdateProduct(pg::Transaction& transaction, std::string id,
                                              ProductFields fields);

// Marks the product archived; version + 1, updated_at = now.
boost::asio::awaitable<Product> ArchiveProduct(pg::Transaction& transaction, std::string id);

struct ListedProduct {
  Product product;
  std::string sort_key;  // CursorPosition::key of this row for the listing's sort
};

// Up to `rows` unarchived products matching `query` (words, filters), in the query's sort order,
// strictly after `after` when given.
boost::asio::awaitable<std::vector<ListedProduct>> ListProducts(pg::Pool& pool, ListQuery query,
                                                                std::optional<CursorPosition> after,
                                                                std::size_t rows);

// Appends `drafts` about `product` (its state after the change) to the outbox in `transaction`,
// as events of producer "catalog" (messaging::AppendDrafts: fresh ids, the current time).
boost::asio::awaitable<void> AppendProductEvents(pg::Transaction& transaction, const Product& product,
                                                 std::vector<EventDraft> drafts,
                                                 messaging::EventContext context, std::string node_id);

}  // namespace microstore::catalog
