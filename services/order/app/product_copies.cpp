#include "order/app/product_copies.hpp"

#include <string>

#include "order/infra/product_copies.hpp"
#include "platform/log/log.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::order {
namespace {

namespace asio = boost::asio;

void LogIfStale(bool stored, std::string_view event_type, const std::string& product_id, std::int64_t version,
                const messaging::EventContext& context) {
  if (stored) return;
  // The context is the event's own: its id is the causation of whatever it causes.
  log::Info(log::Context{context.causation_id, context.correlation_id}, "stale product event dropped",
            {{"event_id", context.causation_id},
             {"type", event_type},
             {"product_id", product_id},
             {"event_version", version}});
}

}  // namespace

asio::awaitable<void> UpdateProductCopy(pg::Transaction& transaction, ProductCopy product,
                                        std::string_view event_type, messaging::EventContext context) {
  const std::string product_id = product.product_id;
  const std::int64_t version = product.version;
  const bool stored = co_await StoreProductSnapshot(transaction, std::move(product));
  LogIfStale(stored, event_type, product_id, version, context);
}

asio::awaitable<void> UpdateProductPrice(pg::Transaction& transaction, PriceChange change,
                                         messaging::EventContext context) {
  const std::string product_id = change.product_id;
  const std::int64_t version = change.version;
  const bool stored = co_await StorePriceChange(transaction, std::move(change));
  LogIfStale(stored, "ProductPriceChanged", product_id, version, context);
}

asio::awaitable<void> ArchiveProductCopy(pg::Transaction& transaction, ArchivedProduct archived,
                                         messaging::EventContext context) {
  const std::string product_id = archived.product_id;
  const std::int64_t version = archived.version;
  const bool stored = co_await StoreArchived(transaction, std::move(archived));
  LogIfStale(stored, "ProductArchived", product_id, version, context);
}

}  // namespace microstore::order
