#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "order/domain/listing.hpp"
#include "order/domain/order.hpp"
#include "order/domain/pricing.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The orders table (migrations/0001_orders.sql). Every statement is parameterised; `id`
// arguments must be UUIDs (core::IsUuid). Functions taking a Transaction must be awaited while it
// lives.
namespace microstore::order {

// Unique indexes whose violation (pg::UniqueViolation::constraint()) the service maps to answers.
inline constexpr const char* kIdempotencyIndex = "orders_idempotency_key";
inline constexpr const char* kOneUnpaidOrderIndex = "orders_one_unpaid_per_customer";

struct NewOrder {
  std::string id;
  std::string customer_id;
  PricedOrder priced;
  std::string idempotency_key;
  std::string request_fingerprint;
};

// An order with the fingerprint of the request that created it (RequestFingerprint).
struct StoredOrder {
  Order order;
  std::string request_fingerprint;
};

// Stores a PENDING order at version 1 (created_at = updated_at = the transaction's time). Throws
// pg::UniqueViolation naming kIdempotencyIndex or kOneUnpaidOrderIndex.
boost::asio::awaitable<Order> InsertOrder(pg::Transaction& transaction, NewOrder order);

boost::asio::awaitable<std::optional<Order>> FindOrder(pg::Pool& pool, std::string id);

// An order locked against concurrent changes until the transaction ends, with the transaction's
// time (RFC 3339 UTC with milliseconds, as the order's times): PostgreSQL's now() is fixed for
// the whole transaction, so it is exactly the updated_at that SaveState stores in it.
struct LockedOrder {
  Order order;
  std::string now;
};
boost::asio::awaitable<std::optional<LockedOrder>> LockOrder(pg::Transaction& transaction, std::string id);
boost::asio::awaitable<std::optional<StoredOrder>> FindByIdempotencyKey(pg::Pool& pool,
                                                                        std::string customer_id,
                                                                        std::string key);
// The customer's PENDING or RESERVED order, if any.
boost::asio::awaitable<std::optional<StoredOrder>> FindUnpaidOrder(pg::Pool& pool, std::string customer_id);

// Writes `next` (and updated_at = now) if the order is still at `expected_version`; nullopt when
// it is not (someone changed it since it was read).
boost::asio::awaitable<std::optional<Order>> SaveState(pg::Transaction& transaction, std::string id,
                                                       std::int64_t expected_version, OrderState next);

// Up to `rows` orders matching `query` (customer, statuses; not its limit), newest first,
// strictly after query.after when given.
boost::asio::awaitable<std::vector<ListedOrder>> QueryOrders(pg::Pool& pool, OrderListQuery query,
                                                             std::size_t rows);

boost::asio::awaitable<OrderStats> CountOrders(pg::Pool& pool);
// Orders the saga is still working on (PENDING or RESERVED), through the partial index of R14.
boost::asio::awaitable<std::int64_t> CountInFlight(pg::Pool& pool);

}  // namespace microstore::order
