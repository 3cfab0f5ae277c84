#pragma once

#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "order/domain/product_copy.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::pg {
class Transaction;
}

// What catalog's product events do to the order service's copy of the catalogue, inside the
// consumer's `transaction` (which the caller commits): each change applies only from a newer
// catalogue version than the copy holds; an older or repeated one changes nothing and is logged.
namespace microstore::order {

// ProductCreated / ProductUpdated (`event_type`, for the log): the whole product.
boost::asio::awaitable<void> UpdateProductCopy(pg::Transaction& transaction, ProductCopy product,
                                               std::string_view event_type, messaging::EventContext context);
// ProductPriceChanged: the price only.
boost::asio::awaitable<void> UpdateProductPrice(pg::Transaction& transaction, PriceChange change,
                                                messaging::EventContext context);
// ProductArchived: the product can no longer be ordered.
boost::asio::awaitable<void> ArchiveProductCopy(pg::Transaction& transaction, ArchivedProduct archived,
                                                messaging::EventContext context);

}  // namespace microstore::order
