#include "catalog/app/products.hpp"

#include "catalog/infra/events.hpp"
#include "catalog/infra/product_repository.hpp"
#include "platform/core/ids.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::catalog {

boost::asio::awaitable<CreateOutcome> CreateProduct(pg::Pool& db, const messaging::Outbox& outbox,
                                                    ProductFields fields, messaging::EventContext context) {
  std::string sku = fields.sku;
  pg::Transaction transaction = co_await db.Begin();
  const std::optional<Product> created = co_await InsertProduct(transaction, core::NewUuid(), std::move(fields));
  if (!created) co_return SkuTaken{std::move(sku)};
  co_await outbox.Append(transaction, ToDrafts(CreatedEvents(*created)), std::move(context));
  co_await transaction.Commit();
  co_return *created;
}

boost::asio::awaitable<UpdateOutcome> UpdateProduct(pg::Pool& db, const messaging::Outbox& outbox,
                                                    std::string id, std::optional<IfMatch> precondition,
                                                    PatchRequest patch, messaging::EventContext context) {
  pg::Transaction transaction = co_await db.Begin();
  const std::optional<Product> current = co_await LockProduct(transaction, id);
  if (!current) co_return UnknownProduct{};
  PatchDecision decision = DecidePatch(*current, precondition, patch);
  if (auto* mismatch = std::get_if<patch::VersionMismatch>(&decision)) co_return *mismatch;
  if (std::holds_alternative<patch::Archived>(decision)) co_return patch::Archived{};
  if (auto* invalid = std::get_if<patch::Invalid>(&decision)) co_return std::move(*invalid);
  if (std::holds_alternative<patch::Unchanged>(decision)) {
    co_await transaction.Commit();
    co_return *current;
  }

  ProductFields fields = std::move(std::get<patch::Changed>(decision).fields);
  std::string sku = fields.sku;
  const std::optional<Product> updated = co_await UpdateProductFields(transaction, id, std::move(fields));
  if (!updated) co_return SkuTaken{std::move(sku)};
  co_await outbox.Append(transaction, ToDrafts(UpdatedEvents(*current, *updated)), std::move(context));
  co_await transaction.Commit();
  co_return *updated;
}

boost::asio::awaitable<ArchiveOutcome> ArchiveProduct(pg::Pool& db, const messaging::Outbox& outbox,
                                                      std::string id, messaging::EventContext context) {
  pg::Transaction transaction = co_await db.Begin();
  const std::optional<Product> current = co_await LockProduct(transaction, id);
  if (!current) co_return UnknownProduct{};
  if (current->archived) {
    co_await transaction.Commit();
    co_return *current;
  }
  const Product archived = co_await MarkArchived(transaction, id);
  co_await outbox.Append(transaction, ToDrafts(ArchivedEvents(archived)), std::move(context));
  co_await transaction.Commit();
  co_return archived;
}

boost::asio::awaitable<std::optional<Product>> GetProduct(pg::Pool& db, std::string id) {
  co_return co_await FindProduct(db, std::move(id));
}

boost::asio::awaitable<std::vector<ListedProduct>> ListProducts(pg::Pool& db, ListQuery query,
                                                                std::optional<CursorPosition> after,
                                                                std::size_t limit) {
  co_return co_await SelectProducts(db, std::move(query), std::move(after), limit + 1);
}

}  // namespace microstore::catalog
