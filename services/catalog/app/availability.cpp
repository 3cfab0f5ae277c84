#include "catalog/app/availability.hpp"

#include "catalog/infra/product_repository.hpp"
#include "platform/log/log.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::catalog {

boost::asio::awaitable<void> ApplyStockLevelChanged(pg::Transaction& transaction, Availability reported,
                                                    messaging::EventContext cause) {
  const std::optional<std::int64_t> shown = co_await LockStockVersion(transaction, reported.product_id);
  const auto decision = DecideAvailability(shown, reported);
  if (const core::Unchanged* unchanged = core::IfUnchanged(decision)) {
    log::Info({cause.causation_id, cause.correlation_id}, unchanged->why,
              {{"product_id", reported.product_id}, {"version", reported.version}});
    co_return;
  }
  co_await SaveAvailability(transaction, core::ChangedOf(decision).next);
}

}  // namespace microstore::catalog
