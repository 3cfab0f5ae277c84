#include "stock/app/items.hpp"

#include <algorithm>

#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"
#include "stock/infra/events.hpp"
#include "stock/infra/stock_repository.hpp"

namespace microstore::stock {
namespace {

namespace asio = boost::asio;

// Stores an operator's change with its audit entry and event, and commits: the item after it.
asio::awaitable<StockItem> Commit(pg::Transaction& transaction, const messaging::Outbox& outbox,
                                  OperatorChange changed, messaging::EventContext context) {
  const StockItem after = changed.next.item;
  std::vector<StockItem> items{std::move(changed.next.item)};
  std::vector<Movement> movements{std::move(changed.next.movement)};
  co_await SaveItems(transaction, std::move(items));
  co_await InsertMovements(transaction, std::move(movements));
  co_await outbox.Append(transaction, ToDrafts(changed.events), std::move(context));
  co_await transaction.Commit();
  co_return after;
}

}  // namespace

asio::awaitable<void> ApplyProductCreated(pg::Transaction& transaction, const messaging::Outbox& outbox,
                                          std::string product_id, messaging::EventContext context) {
  core::Changed<StockItem, Event> opened = OpenItem(std::move(product_id));
  const bool created = co_await InsertItem(transaction, opened.next);
  if (!created) co_return;  // the product already has its item (a repeated ProductCreated)
  co_await outbox.Append(transaction, ToDrafts(opened.events), std::move(context));
}

asio::awaitable<std::vector<StockItem>> LookupItems(pg::Pool& pool, std::vector<std::string> product_ids) {
  std::vector<StockItem> found = co_await FindItems(pool, product_ids);
  std::vector<StockItem> items;
  for (const auto& id : product_ids) {
    const auto it = std::find_if(found.begin(), found.end(),
                                 [&id](const StockItem& item) { return item.product_id == id; });
    if (it != found.end()) items.push_back(*it);
  }
  co_return items;
}

asio::awaitable<std::variant<StockItem, UnknownProduct>> GetItem(pg::Pool& pool, std::string product_id) {
  std::optional<StockItem> item = co_await FindItem(pool, std::move(product_id));
  if (!item) co_return UnknownProduct{};
  co_return std::move(*item);
}

asio::awaitable<std::variant<StockItem, UnknownProduct>> Restock(pg::Pool& pool,
                                                                 const messaging::Outbox& outbox,
                                                                 std::string product_id,
                                                                 RestockRequest request, std::string actor,
                                                                 messaging::EventContext context) {
  pg::Transaction transaction = co_await pool.Begin();
  std::optional<StockItem> item = co_await LockItem(transaction, std::move(product_id));
  if (!item) co_return UnknownProduct{};
  OperatorChange changed = Restock(*item, request.quantity, std::move(request.reason), std::move(actor));
  co_return co_await Commit(transaction, outbox, std::move(changed), std::move(context));
}

asio::awaitable<std::variant<StockItem, UnknownProduct, InsufficientFree>> Adjust(
    pg::Pool& pool, const messaging::Outbox& outbox, std::string product_id, AdjustmentRequest request,
    std::string actor, messaging::EventContext context) {
  pg::Transaction transaction = co_await pool.Begin();
  std::optional<StockItem> item = co_await LockItem(transaction, std::move(product_id));
  if (!item) co_return UnknownProduct{};
  auto adjusted = Adjust(*item, request.delta, std::move(request.reason), std::move(actor));
  if (const auto* refused = std::get_if<InsufficientFree>(&adjusted)) co_return *refused;
  co_return co_await Commit(transaction, outbox, std::move(std::get<OperatorChange>(adjusted)),
                            std::move(context));
}

asio::awaitable<std::variant<MovementPage, UnknownProduct>> ListMovements(pg::Pool& pool,
                                                                          std::string product_id,
                                                                          MovementsQuery query) {
  std::optional<StockItem> item = co_await FindItem(pool, product_id);
  if (!item) co_return UnknownProduct{};
  // One row more than the page: it exists only when a next page does.
  std::vector<MovementRecord> rows =
      co_await FindMovements(pool, std::move(product_id), query.before_id, query.limit + 1);
  MovementPage page;
  if (rows.size() > static_cast<std::size_t>(query.limit)) {
    rows.resize(static_cast<std::size_t>(query.limit));
    page.next_before_id = rows.back().id;
  }
  page.movements = std::move(rows);
  co_return page;
}

asio::awaitable<Totals> ReadTotals(pg::Pool& pool) { co_return co_await SumStock(pool); }

}  // namespace microstore::stock
