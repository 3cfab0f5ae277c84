#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <variant>
#include <vector>

#include "platform/messaging/envelope.hpp"
#include "stock/domain/item_changes.hpp"
#include "stock/domain/requests.hpp"
#include "stock/domain/stock_item.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// Stock items: what catalog's ProductCreated opens, what anyone reads and what operators change.
// A change commits the item, its audit entry and its StockLevelChanged (in the outbox, with
// `context`) in one transaction. Database failures propagate as exceptions; ids are canonical.
namespace microstore::stock {

// The product has no stock item (stock never heard of it).
struct UnknownProduct {
  bool operator==(const UnknownProduct&) const = default;
};

// catalog ProductCreated, inside the inbox's transaction: a stock item at 0 free and its
// StockLevelChanged (cause product_created), once per product; a repeat changes nothing.
boost::asio::awaitable<void> ApplyProductCreated(pg::Transaction& transaction,
                                                 const messaging::Outbox& outbox, std::string product_id,
                                                 messaging::EventContext context);

// The items of those products stock has, in the order of `product_ids` (unknown ones left out).
boost::asio::awaitable<std::vector<StockItem>> LookupItems(pg::Pool& pool,
                                                           std::vector<std::string> product_ids);

boost::asio::awaitable<std::variant<StockItem, UnknownProduct>> GetItem(pg::Pool& pool,
                                                                        std::string product_id);

// The operator `actor` (JWT sub) restocks or adjusts; answers the item after the change.
boost::asio::awaitable<std::variant<StockItem, UnknownProduct>> Restock(
    pg::Pool& pool, const messaging::Outbox& outbox, std::string product_id, RestockRequest request,
    std::string actor, messaging::EventContext context);
boost::asio::awaitable<std::variant<StockItem, UnknownProduct, InsufficientFree>> Adjust(
    pg::Pool& pool, const messaging::Outbox& outbox, std::string product_id, AdjustmentRequest request,
    std::string actor, messaging::EventContext context);

boost::asio::awaitable<std::variant<MovementPage, UnknownProduct>> ListMovements(pg::Pool& pool,
                                                                                 std::string product_id,
                                                                                 MovementsQuery query);

boost::asio::awaitable<Totals> ReadTotals(pg::Pool& pool);

}  // namespace microstore::stock
