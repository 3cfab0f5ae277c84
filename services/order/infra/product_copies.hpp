#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "order/domain/product_copy.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The order service's copy of the catalogue (table product_copies), kept from catalog's events
// and read to price new orders. Each write is one conditional upsert that applies only from a
// newer catalogue version than the one the copy holds (see the migration): the version guard is
// the statement's, so checking and writing are one atomic step even for a product the copy does
// not hold yet, and duplicates and stale events change nothing. Each write answers whether it changed the copy. Product ids must
// be UUIDs.
namespace microstore::order {

// The copies of these products that exist (in no particular order).
boost::asio::awaitable<std::vector<ProductCopy>> LoadProductCopies(pg::Pool& pool,
                                                                   std::vector<std::string> ids);

// The whole product (ProductCreated / ProductUpdated) at catalogue version product.version.
boost::asio::awaitable<bool> StoreProductSnapshot(pg::Transaction& transaction, ProductCopy product);
// The price (ProductPriceChanged) at catalogue version change.version.
boost::asio::awaitable<bool> StorePriceChange(pg::Transaction& transaction, PriceChange change);
// The archival (ProductArchived) at catalogue version archived.version.
boost::asio::awaitable<bool> StoreArchived(pg::Transaction& transaction, ArchivedProduct archived);

}  // namespace microstore::order
