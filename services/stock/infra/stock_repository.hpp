#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "stock/domain/reservation.hpp"
#include "stock/domain/stock_item.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The stock tables (migrations/0001_create_stock.sql). Every statement is parameterised; ids
// are canonical UUIDs (core::CanonicalUuid). Functions taking a Transaction must be awaited while
// it is alive.
//
// Locking: a change locks the rows it decides on (FOR UPDATE) and writes them back with a version
// predicate. Reservations lock their order's row first, then the stock items in product id order,
// so two transactions never wait for each other in a cycle.
namespace microstore::stock {

// A write whose version predicate matched no row: someone changed the row since it was read.
// Cannot happen while the row is locked; an inbox retries the event.
class ConcurrentChange : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

boost::asio::awaitable<std::optional<StockItem>> FindItem(pg::Pool& pool, std::string product_id);
// The items of those products that exist, in no particular order.
boost::asio::awaitable<std::vector<StockItem>> FindItems(pg::Pool& pool,
                                                         std::vector<std::string> product_ids);

// The item, locked until the transaction ends.
boost::asio::awaitable<std::optional<StockItem>> LockItem(pg::Transaction& transaction,
                                                          std::string product_id);
// The items of those products that exist, locked in product id order (see Locking).
boost::asio::awaitable<std::vector<StockItem>> LockItems(pg::Transaction& transaction,
                                                         std::vector<std::string> product_ids);

// Stores a new item; false (and nothing changed) when the product already has one.
boost::asio::awaitable<bool> InsertItem(pg::Transaction& transaction, StockItem item);
// Writes the items' new state, each expected at version - 1; throws ConcurrentChange otherwise.
boost::asio::awaitable<void> SaveItems(pg::Transaction& transaction, std::vector<StockItem> items);
boost::asio::awaitable<void> InsertMovements(pg::Transaction& transaction, std::vector<Movement> movements);

// Up to `rows` movements of the product, newest first, older than `before_id` when given.
boost::asio::awaitable<std::vector<MovementRecord>> FindMovements(pg::Pool& pool, std::string product_id,
                                                                  std::optional<std::int64_t> before_id,
                                                                  std::int64_t rows);

// Insert-or-lock: the order's reservation, locked until the transaction ends, or nullopt when
// there is none yet; then a placeholder row holds the lock, which SaveReservation (expected
// version 0) fills or DropPlaceholder removes before the transaction ends.
boost::asio::awaitable<std::optional<Reservation>> LockReservation(pg::Transaction& transaction,
                                                                   std::string order_id);
// Writes the reservation's new state over the row at `expected_version`; throws ConcurrentChange
// otherwise.
boost::asio::awaitable<void> SaveReservation(pg::Transaction& transaction, Reservation reservation,
                                             std::int64_t expected_version);
boost::asio::awaitable<void> DropPlaceholder(pg::Transaction& transaction, std::string order_id);

boost::asio::awaitable<std::optional<ReservationRecord>> FindReservation(pg::Pool& pool,
                                                                         std::string order_id);

// The stock's totals (domain/stock_item.hpp) in one statement, so one consistent snapshot.
boost::asio::awaitable<Totals> SumStock(pg::Pool& pool);

}  // namespace microstore::stock
