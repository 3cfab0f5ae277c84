#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "catalog/domain/changes.hpp"
#include "catalog/domain/listing.hpp"
#include "catalog/domain/product.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
}

// The catalogue's commands and queries: load → decide → save the change and append its events to
// the outbox, in one transaction. `id` arguments must be UUIDs (the routes answer 404 for others).
namespace microstore::catalog {

struct UnknownProduct {};
struct SkuTaken {
  std::string sku;
};

// The created product, or SkuTaken (nothing is stored). Emits ProductCreated.
using CreateOutcome = std::variant<Product, SkuTaken>;
boost::asio::awaitable<CreateOutcome> CreateProduct(pg::Pool& db, const messaging::Outbox& outbox,
                                                    ProductFields fields, messaging::EventContext context);

// The product after the patch (as it was when the patch changes nothing: no new version, no
// event), or why it was refused (DecidePatch; SkuTaken). Emits ProductUpdated, and
// ProductPriceChanged when the price or the currency changed.
using UpdateOutcome = std::variant<Product, UnknownProduct, patch::VersionMismatch, patch::Archived,
                                   patch::Invalid, SkuTaken>;
boost::asio::awaitable<UpdateOutcome> UpdateProduct(pg::Pool& db, const messaging::Outbox& outbox,
                                                    std::string id, std::optional<IfMatch> precondition,
                                                    PatchRequest patch, messaging::EventContext context);

// The archived product; archiving an archived product changes nothing (no new version, no
// event). Emits ProductArchived.
using ArchiveOutcome = std::variant<Product, UnknownProduct>;
boost::asio::awaitable<ArchiveOutcome> ArchiveProduct(pg::Pool& db, const messaging::Outbox& outbox,
                                                      std::string id, messaging::EventContext context);

// Any product, archived ones too.
boost::asio::awaitable<std::optional<Product>> GetProduct(pg::Pool& db, std::string id);

// The page of unarchived products of `query` after `after`, asked for `limit` rows: up to
// limit + 1 come back, a row beyond `limit` only saying that a next page exists
// (http::PageBody).
boost::asio::awaitable<std::vector<ListedProduct>> ListProducts(pg::Pool& db, ListQuery query,
                                                                std::optional<CursorPosition> after,
                                                                std::size_t limit);

}  // namespace microstore::catalog
