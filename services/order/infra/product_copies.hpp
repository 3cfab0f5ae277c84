#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "order/domain/pricing.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The order service's copy of the catalogue (table product_copies), kept from catalog's events
// and read to price new orders. Each change applies only from a newer catalogue version than the
// one the copy holds (see the migration), so duplicates and stale events change nothing; each
// function answers whether it changed the copy. Product ids must be UUIDs.
namespace microstore::order {

// The copies of these products that exist (in no particular order).
boost::asio::awaitable<std::vector<ProductCopy>> LoadProductCopies(pg::Pool& pool,
                                                                   std::vector<std::string> ids);

// ProductCreated / ProductUpdated: the whole product at catalogue version `version`.
boost::asio::awaitable<bool> ApplyProductSnapshot(pg::Transaction& transaction, ProductCopy product,
                                                  std::int64_t version);
// ProductPriceChanged: the price at catalogue version `version`.
boost::asio::awaitable<bool> ApplyPriceChange(pg::Transaction& transaction, std::string product_id,
                                              std::string sku, std::int64_t price_minor, std::string currency,
                                              std::int64_t version);
// ProductArchived at catalogue version `version`.
boost::asio::awaitable<bool> ApplyArchived(pg::Transaction& transaction, std::string product_id,
                                           std::string sku, std::int64_t version);

}  // namespace microstore::order
