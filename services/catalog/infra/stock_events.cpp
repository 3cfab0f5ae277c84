#include "catalog/infra/stock_events.hpp"

#include "catalog/domain/availability.hpp"
#include "platform/log/log.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::catalog {
namespace {

boost::asio::awaitable<void> ApplyStockLevelChanged(pg::Transaction& transaction, const messaging::Envelope& event) {
  auto parsed = ParseStockLevelChanged(event);
  if (auto* error = std::get_if<std::string>(&parsed)) throw messaging::PoisonEvent(*error);
  const auto& availability = std::get<Availability>(parsed);
  const auto updated = co_await transaction.Query(
      "UPDATE products SET in_stock = $2::boolean, stock_version = $3::bigint "
      "WHERE id = $1::uuid AND stock_version < $3::bigint",
      availability.product_id, availability.in_stock, availability.version);
  if (updated.AffectedRows() == 0) {
    // Stock learns of products from our own ProductCreated, so the product exists: the event is
    // older than what the product shows (or a duplicate the inbox did not see).
    log::Info({event.id, event.correlation_id}, "stale stock level dropped",
              {{"product_id", availability.product_id}, {"version", availability.version}});
  }
}

}  // namespace

std::vector<messaging::EventSubscription> StockSubscriptions() {
  return {{"stock", "StockLevelChanged", ApplyStockLevelChanged}};
}

}  // namespace microstore::catalog
