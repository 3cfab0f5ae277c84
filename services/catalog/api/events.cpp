#include "catalog/api/events.hpp"

#include "catalog/api/json.hpp"
#include "catalog/app/availability.hpp"

namespace microstore::catalog::api {

boost::asio::awaitable<void> OnStockLevelChanged(pg::Transaction& transaction, const messaging::Envelope& event) {
  co_await ApplyStockLevelChanged(transaction, ReadStockLevelChanged(event), messaging::CausedBy(event));
}

std::vector<messaging::EventSubscription> EventHandlers() {
  return {{"stock", "StockLevelChanged", OnStockLevelChanged}};
}

}  // namespace microstore::catalog::api
