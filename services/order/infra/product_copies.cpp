#include "order/infra/product_copies.hpp"

#include "platform/pg/pool.hpp"

namespace microstore::order {

boost::asio::awaitable<std::vector<ProductCopy>> LoadProductCopies(pg::Pool& pool,
                                                                   std::vector<std::string> ids) {
  // UUIDs need no quoting inside an array literal.
  std::string list = "{";
  for (const auto& id : ids) {
    if (list.size() > 1) list += ',';
    list += id;
  }
  list += '}';
  auto result = co_await pool.Query(
      "SELECT product_id::text, sku, name, price_minor, currency, archived, version FROM product_copies "
      "WHERE product_id = ANY($1::uuid[])",
      list);
  std::vector<ProductCopy> copies;
  for (int row = 0; row < result.Rows(); ++row) {
    copies.push_back({.product_id = result.Get<std::string>(row, 0),
                      .sku = result.Get<std::string>(row, 1),
                      .name = result.Get<std::string>(row, 2),
                      .price_minor = result.Get<std::int64_t>(row, 3),
                      .currency = result.Get<std::string>(row, 4),
                      .archived = result.Get<bool>(row, 5),
                      .version = result.Get<std::int64_t>(row, 6)});
  }
  co_return copies;
}

boost::asio::awaitable<bool> StoreProductSnapshot(pg::Transaction& transaction, ProductCopy product) {
  auto result = co_await transaction.Query(
      "INSERT INTO product_copies AS p (product_id, sku, name, archived, version, price_minor, currency, "
      "price_version) VALUES ($1::uuid, $2, $3, $4::boolean, $5::bigint, $6::bigint, $7, $5::bigint) "
      "ON CONFLICT (product_id) DO UPDATE SET "
      "sku = CASE WHEN p.version < EXCLUDED.version THEN EXCLUDED.sku ELSE p.sku END, "
      "name = CASE WHEN p.version < EXCLUDED.version THEN EXCLUDED.name ELSE p.name END, "
      "archived = CASE WHEN p.version < EXCLUDED.version THEN EXCLUDED.archived ELSE p.archived END, "
      "version = GREATEST(p.version, EXCLUDED.version), "
      "price_minor = CASE WHEN p.price_version < EXCLUDED.price_version THEN EXCLUDED.price_minor "
      "ELSE p.price_minor END, "
      "currency = CASE WHEN p.price_version < EXCLUDED.price_version THEN EXCLUDED.currency ELSE p.currency "
      "END, "
      "price_version = GREATEST(p.price_version, EXCLUDED.price_version), updated_at = now() "
      "WHERE p.version < EXCLUDED.version OR p.price_version < EXCLUDED.price_version",
      product.product_id, product.sku, product.name, product.archived, product.version, product.price_minor,
      product.currency);
  co_return result.AffectedRows() > 0;
}

boost::asio::awaitable<bool> StorePriceChange(pg::Transaction& transaction, PriceChange change) {
  auto result = co_await transaction.Query(
      "INSERT INTO product_copies AS p (product_id, sku, price_minor, currency, price_version) "
      "VALUES ($1::uuid, $2, $3::bigint, $4, $5::bigint) "
      "ON CONFLICT (product_id) DO UPDATE SET price_minor = EXCLUDED.price_minor, currency = "
      "EXCLUDED.currency, "
      "price_version = EXCLUDED.price_version, updated_at = now() "
      "WHERE p.price_version < EXCLUDED.price_version",
      change.product_id, change.sku, change.price_minor, change.currency, change.version);
  co_return result.AffectedRows() > 0;
}

boost::asio::awaitable<bool> StoreArchived(pg::Transaction& transaction, ArchivedProduct archived) {
  auto result = co_await transaction.Query(
      "INSERT INTO product_copies AS p (product_id, sku, archived, version) "
      "VALUES ($1::uuid, $2, true, $3::bigint) "
      "ON CONFLICT (product_id) DO UPDATE SET archived = true, sku = EXCLUDED.sku, version = "
      "EXCLUDED.version, "
      "updated_at = now() WHERE p.version < EXCLUDED.version",
      archived.product_id, archived.sku, archived.version);
  co_return result.AffectedRows() > 0;
}

}  // namespace microstore::order
