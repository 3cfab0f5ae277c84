#include "order/infra/order_store.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "platform/pg/pool.hpp"

namespace microstore::order {
namespace {

constexpr const char* kColumns =
    "o.id::text, o.customer_id, o.status, o.cancel_reason, o.version, o.reservation_version, "
    "o.payment_version, o.stock_released, o.refunded, o.items::text, o.total_minor, o.currency, "
    "o.idempotency_key, o.request_fingerprint, "
    "to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "to_char(o.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    // extract() is numeric since PostgreSQL 14: exact microseconds.
    "(extract(epoch FROM o.created_at) * 1000000)::bigint";

// The transaction's now() written as the order's times are (what SaveState stores as
// updated_at), and its column in LockOrder's rows, after the 17 of kColumns.
constexpr const char* kTransactionTime = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
constexpr int kTransactionTimeColumn = 17;

std::string Select(const std::string& rest) {
  return std::string("SELECT ") + kColumns + " FROM orders o " + rest;
}

// orders.items: [{product_id, sku, name, quantity, unit_price_minor, line_total_minor}].
nlohmann::json ItemColumn(const OrderItem& item) {
  return {{"product_id", item.product_id},
          {"sku", item.sku},
          {"name", item.name},
          {"quantity", item.quantity},
          {"unit_price_minor", item.unit_price_minor},
          {"line_total_minor", item.line_total_minor}};
}

OrderItem ItemFromColumn(const nlohmann::json& json) {
  return {.product_id = json.at("product_id").get<std::string>(),
          .sku = json.at("sku").get<std::string>(),
          .name = json.at("name").get<std::string>(),
          .quantity = json.at("quantity").get<std::int64_t>(),
          .unit_price_minor = json.at("unit_price_minor").get<std::int64_t>(),
          .line_total_minor = json.at("line_total_minor").get<std::int64_t>()};
}

StoredOrder ReadOrder(const pg::Result& result, int row) {
  StoredOrder stored;
  Order& order = stored.order;
  order.id = result.Get<std::string>(row, 0);
  order.customer_id = result.Get<std::string>(row, 1);
  const auto status = ParseStatus(result.Get<std::string_view>(row, 2));
  if (!status) throw std::runtime_error("orders.status holds an unknown status");
  order.state.status = *status;
  if (const auto reason = result.Get<std::optional<std::string>>(row, 3)) {
    order.state.reason = ParseCancelReason(*reason);
    if (!order.state.reason) throw std::runtime_error("orders.cancel_reason holds an unknown reason");
  }
  order.state.version = result.Get<std::int64_t>(row, 4);
  order.state.reservation_version = result.Get<std::int64_t>(row, 5);
  order.state.payment_version = result.Get<std::int64_t>(row, 6);
  order.state.stock_released = result.Get<bool>(row, 7);
  order.state.refunded = result.Get<bool>(row, 8);
  for (const auto& item : nlohmann::json::parse(result.Get<std::string_view>(row, 9))) {
    order.items.push_back(ItemFromColumn(item));
  }
  order.total_minor = result.Get<std::int64_t>(row, 10);
  order.currency = result.Get<std::string>(row, 11);
  order.idempotency_key = result.Get<std::string>(row, 12);
  stored.request_fingerprint = result.Get<std::string>(row, 13);
  order.created_at = result.Get<std::string>(row, 14);
  order.updated_at = result.Get<std::string>(row, 15);
  return stored;
}

std::int64_t CreatedAtMicros(const pg::Result& result, int row) { return result.Get<std::int64_t>(row, 16); }

std::optional<StoredOrder> FirstStored(const pg::Result& result) {
  if (result.Rows() == 0) return std::nullopt;
  return ReadOrder(result, 0);
}

std::optional<Order> FirstOrder(const pg::Result& result) {
  if (result.Rows() == 0) return std::nullopt;
  return ReadOrder(result, 0).order;
}

std::optional<std::string> ReasonText(const OrderState& state) {
  if (!state.reason) return std::nullopt;
  return std::string(ToString(*state.reason));
}

}  // namespace

boost::asio::awaitable<Order> InsertOrder(pg::Transaction& transaction, NewOrder order) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : order.priced.items) items.push_back(ItemColumn(item));
  auto result = co_await transaction.Query(
      std::string("INSERT INTO orders AS o (id, customer_id, status, version, items, total_minor, currency, "
                  "idempotency_key, request_fingerprint) "
                  "VALUES ($1::uuid, $2, 'PENDING', 1, $3::jsonb, $4::bigint, $5, $6, $7) RETURNING ") +
          kColumns,
      order.id, order.customer_id, items.dump(), order.priced.total_minor, order.priced.currency,
      order.idempotency_key, order.request_fingerprint);
  co_return ReadOrder(result, 0).order;
}

boost::asio::awaitable<std::optional<Order>> FindOrder(pg::Pool& pool, std::string id) {
  auto result = co_await pool.Query(Select("WHERE o.id = $1::uuid"), id);
  co_return FirstOrder(result);
}

boost::asio::awaitable<std::optional<LockedOrder>> LockOrder(pg::Transaction& transaction, std::string id) {
  auto result = co_await transaction.Query(
      std::string("SELECT ") + kColumns + ", " + kTransactionTime + " FROM orders o WHERE o.id = $1::uuid FOR UPDATE",
      id);
  if (result.Rows() == 0) co_return std::nullopt;
  co_return LockedOrder{ReadOrder(result, 0).order, result.Get<std::string>(0, kTransactionTimeColumn)};
}

boost::asio::awaitable<std::optional<StoredOrder>> FindByIdempotencyKey(pg::Pool& pool,
                                                                        std::string customer_id,
                                                                        std::string key) {
  auto result =
      co_await pool.Query(Select("WHERE o.customer_id = $1 AND o.idempotency_key = $2"), customer_id, key);
  co_return FirstStored(result);
}

boost::asio::awaitable<std::optional<StoredOrder>> FindUnpaidOrder(pg::Pool& pool, std::string customer_id) {
  auto result = co_await pool.Query(
      Select("WHERE o.customer_id = $1 AND o.status IN ('PENDING', 'RESERVED')"), customer_id);
  co_return FirstStored(result);
}

boost::asio::awaitable<std::optional<Order>> SaveState(pg::Transaction& transaction, std::string id,
                                                       std::int64_t expected_version, OrderState next) {
  auto result = co_await transaction.Query(
      std::string(
          "UPDATE orders AS o SET status = $3, cancel_reason = $4, version = $5::bigint, "
          "reservation_version = $6::bigint, payment_version = $7::bigint, stock_released = $8::boolean, "
          "refunded = $9::boolean, updated_at = now() "
          "WHERE o.id = $1::uuid AND o.version = $2::bigint RETURNING ") +
          kColumns,
      id, expected_version, ToString(next.status), ReasonText(next), next.version, next.reservation_version,
      next.payment_version, next.stock_released, next.refunded);
  co_return FirstOrder(result);
}

boost::asio::awaitable<std::vector<ListedOrder>> QueryOrders(pg::Pool& pool, OrderListQuery query,
                                                             std::size_t rows) {
  // Only constant SQL fragments are concatenated; every value is a parameter.
  pg::Params params;
  const auto placeholder = [&params]() { return "$" + std::to_string(params.size()); };
  std::string where = "true";
  if (query.customer_id) {
    params.Add(*query.customer_id);
    where += " AND o.customer_id = " + placeholder();
  }
  if (!query.statuses.empty()) {
    std::string list = "{";
    for (const OrderStatus status : query.statuses) {
      if (list.size() > 1) list += ',';
      list += ToString(status);
    }
    params.Add(list + "}");
    where += " AND o.status = ANY(" + placeholder() + "::text[])";
  }
  if (query.after) {
    params.Add(query.after->created_at_us);
    const std::string created = placeholder();
    params.Add(query.after->id);
    const std::string id = placeholder();
    where += " AND (o.created_at, o.id) < ('epoch'::timestamptz + " + created +
             "::bigint * interval '1 microsecond', " + id + "::uuid)";
  }
  params.Add(static_cast<std::int64_t>(rows));
  auto result =
      co_await pool.Execute(Select("WHERE " + where + " ORDER BY o.created_at DESC, o.id DESC LIMIT " +
                                   placeholder() + "::integer"),
                            std::move(params));
  std::vector<ListedOrder> listed;
  listed.reserve(static_cast<std::size_t>(result.Rows()));
  for (int row = 0; row < result.Rows(); ++row) {
    Order order = ReadOrder(result, row).order;
    OrderCursor position{CreatedAtMicros(result, row), order.id};
    listed.push_back({std::move(order), std::move(position)});
  }
  co_return listed;
}

boost::asio::awaitable<OrderStats> CountOrders(pg::Pool& pool) {
  auto result = co_await pool.Query(
      "SELECT status, count(*), "
      "to_char(min(created_at) FILTER (WHERE status IN ('PENDING', 'RESERVED')) AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM orders GROUP BY status");
  OrderStats stats;
  for (const OrderStatus status : kAllStatuses) stats.by_status[status] = 0;
  for (int row = 0; row < result.Rows(); ++row) {
    const auto status = ParseStatus(result.Get<std::string_view>(row, 0));
    if (!status) throw std::runtime_error("orders.status holds an unknown status");
    const auto count = result.Get<std::int64_t>(row, 1);
    stats.by_status[*status] = count;
    stats.total += count;
    if (const auto oldest = result.Get<std::optional<std::string>>(row, 2)) {
      if (!stats.oldest_in_progress_at || *oldest < *stats.oldest_in_progress_at)
        stats.oldest_in_progress_at = oldest;
    }
  }
  co_return stats;
}

boost::asio::awaitable<std::int64_t> CountInFlight(pg::Pool& pool) {
  const pg::Result result =
      co_await pool.Query("SELECT count(*) FROM orders WHERE status IN ('PENDING', 'RESERVED')");
  co_return result.Get<std::int64_t>(0, 0);
}

}  // namespace microstore::order
