#include "stock/infra/stock_repository.hpp"

#include <nlohmann/json.hpp>

#include "platform/pg/pool.hpp"
#include "stock/infra/events.hpp"

namespace microstore::stock {
namespace {

using nlohmann::json;

constexpr const char* kItemColumns = "product_id::text, free, reserved, shipped, version";

constexpr const char* kTimestampFormat = "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'";

std::string Rfc3339(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', " + kTimestampFormat + ")";
}

StockItem ReadItem(const pg::Result& result, int row) {
  return {.product_id = result.Get<std::string>(row, 0),
          .free = result.Get<std::int64_t>(row, 1),
          .reserved = result.Get<std::int64_t>(row, 2),
          .shipped = result.Get<std::int64_t>(row, 3),
          .version = result.Get<std::int64_t>(row, 4)};
}

std::vector<StockItem> ReadItems(const pg::Result& result) {
  std::vector<StockItem> items;
  items.reserve(static_cast<std::size_t>(result.Rows()));
  for (int row = 0; row < result.Rows(); ++row) items.push_back(ReadItem(result, row));
  return items;
}

// A uuid[] parameter: canonical UUIDs need no quoting inside the array literal.
std::string UuidArray(const std::vector<std::string>& ids) {
  std::string literal = "{";
  for (const auto& id : ids) {
    if (literal.size() > 1) literal += ',';
    literal += id;
  }
  return literal + "}";
}

std::string ReservationColumns() {
  return "order_id::text, customer_id, status, version, order_version, lines::text, total_minor, currency, "
         "reason, missing::text, " +
         Rfc3339("created_at") + ", " + Rfc3339("updated_at");
}

ReservationRecord ReadReservation(const pg::Result& result, int row) {
  ReservationRecord record;
  Reservation& r = record.reservation;
  r.order_id = result.Get<std::string>(row, 0);
  r.customer_id = result.Get<std::string>(row, 1);
  // The placeholder's NONE maps to nothing; callers look at the version first.
  r.status =
      ParseReservationStatus(result.Get<std::string_view>(row, 2)).value_or(ReservationStatus::kBooked);
  r.version = result.Get<std::int64_t>(row, 3);
  r.order_version = result.Get<std::optional<std::int64_t>>(row, 4);
  for (const auto& line : json::parse(result.Get<std::string_view>(row, 5))) {
    r.lines.push_back({line.at("product_id").get<std::string>(), line.at("quantity").get<std::int64_t>()});
  }
  r.total_minor = result.Get<std::optional<std::int64_t>>(row, 6);
  r.currency = result.Get<std::optional<std::string>>(row, 7);
  r.reason = result.Get<std::optional<std::string>>(row, 8);
  for (const auto& line : json::parse(result.Get<std::string_view>(row, 9))) {
    r.missing.push_back({line.at("product_id").get<std::string>(), line.at("requested").get<std::int64_t>(),
                         line.at("available").get<std::int64_t>()});
  }
  record.created_at = result.Get<std::string>(row, 10);
  record.updated_at = result.Get<std::string>(row, 11);
  return record;
}

}  // namespace

boost::asio::awaitable<std::optional<StockItem>> FindItem(pg::Pool& pool, std::string product_id) {
  auto result = co_await pool.Query(
      std::string("SELECT ") + kItemColumns + " FROM stock_items WHERE product_id = $1::uuid", product_id);
  if (result.Empty()) co_return std::nullopt;
  co_return ReadItem(result, 0);
}

boost::asio::awaitable<std::vector<StockItem>> FindItems(pg::Pool& pool,
                                                         std::vector<std::string> product_ids) {
  auto result = co_await pool.Query(
      std::string("SELECT ") + kItemColumns + " FROM stock_items WHERE product_id = ANY($1::uuid[])",
      UuidArray(product_ids));
  co_return ReadItems(result);
}

boost::asio::awaitable<std::optional<StockItem>> LockItem(pg::Transaction& transaction,
                                                          std::string product_id) {
  auto result = co_await transaction.Query(
      std::string("SELECT ") + kItemColumns + " FROM stock_items WHERE product_id = $1::uuid FOR UPDATE",
      product_id);
  if (result.Empty()) co_return std::nullopt;
  co_return ReadItem(result, 0);
}

boost::asio::awaitable<std::vector<StockItem>> LockItems(pg::Transaction& transaction,
                                                         std::vector<std::string> product_ids) {
  if (product_ids.empty()) co_return std::vector<StockItem>{};
  // The locking step runs above the sort: rows are locked one by one in product id order.
  auto result = co_await transaction.Query(std::string("SELECT ") + kItemColumns +
                                               " FROM stock_items WHERE product_id = ANY($1::uuid[]) "
                                               "ORDER BY product_id FOR UPDATE",
                                           UuidArray(product_ids));
  co_return ReadItems(result);
}

boost::asio::awaitable<bool> InsertItem(pg::Transaction& transaction, StockItem item) {
  auto result = co_await transaction.Query(
      "INSERT INTO stock_items (product_id, free, reserved, shipped, version) "
      "VALUES ($1::uuid, $2::bigint, $3::bigint, $4::bigint, $5::bigint) ON CONFLICT (product_id) DO NOTHING",
      item.product_id, item.free, item.reserved, item.shipped, item.version);
  co_return result.AffectedRows() == 1;
}

boost::asio::awaitable<void> SaveItems(pg::Transaction& transaction, std::vector<StockItem> items) {
  if (items.empty()) co_return;
  json rows = json::array();
  for (const auto& item : items) {
    rows.push_back({{"product_id", item.product_id},
                    {"free", item.free},
                    {"reserved", item.reserved},
                    {"shipped", item.shipped},
                    {"version", item.version}});
  }
  auto result = co_await transaction.Query(
      "UPDATE stock_items s SET free = u.free, reserved = u.reserved, shipped = u.shipped, version = "
      "u.version, "
      "updated_at = now() "
      "FROM jsonb_to_recordset($1::jsonb) AS u(product_id uuid, free bigint, reserved bigint, shipped "
      "bigint, "
      "version bigint) "
      "WHERE s.product_id = u.product_id AND s.version = u.version - 1",
      rows.dump());
  if (result.AffectedRows() != static_cast<std::int64_t>(items.size())) {
    throw ConcurrentChange("a stock item changed since it was read");
  }
}

boost::asio::awaitable<void> InsertMovements(pg::Transaction& transaction, std::vector<Movement> movements) {
  if (movements.empty()) co_return;
  json rows = json::array();
  for (const auto& m : movements) {
    rows.push_back({{"product_id", m.product_id},
                    {"kind", ToString(m.kind)},
                    {"delta", m.delta},
                    {"free_after", m.free_after},
                    {"reserved_after", m.reserved_after},
                    {"reason", m.reason ? json(*m.reason) : json(nullptr)},
                    {"order_id", m.order_id ? json(*m.order_id) : json(nullptr)},
                    {"actor", m.actor ? json(*m.actor) : json(nullptr)}});
  }
  // WITH ORDINALITY keeps the ids in the order of the list.
  co_await transaction.Query(
      "INSERT INTO stock_movements (product_id, kind, delta, free_after, reserved_after, reason, order_id, "
      "actor) "
      "SELECT (m->>'product_id')::uuid, m->>'kind', (m->>'delta')::bigint, (m->>'free_after')::bigint, "
      "(m->>'reserved_after')::bigint, m->>'reason', (m->>'order_id')::uuid, m->>'actor' "
      "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(m, n) ORDER BY n",
      rows.dump());
}

boost::asio::awaitable<std::vector<MovementRecord>> FindMovements(pg::Pool& pool, std::string product_id,
                                                                  std::optional<std::int64_t> before_id,
                                                                  std::int64_t rows) {
  auto result = co_await pool.Query(
      "SELECT id, product_id::text, kind, delta, free_after, reserved_after, reason, order_id::text, "
      "actor, " +
          Rfc3339("occurred_at") +
          " FROM stock_movements WHERE product_id = $1::uuid AND ($2::bigint IS NULL OR id < $2::bigint) "
          "ORDER BY id DESC LIMIT $3::bigint",
      product_id, before_id, rows);
  std::vector<MovementRecord> records;
  records.reserve(static_cast<std::size_t>(result.Rows()));
  for (int row = 0; row < result.Rows(); ++row) {
    MovementRecord record;
    record.id = result.Get<std::int64_t>(row, 0);
    Movement& m = record.movement;
    m.product_id = result.Get<std::string>(row, 1);
    m.kind = ParseMovementKind(result.Get<std::string_view>(row, 2)).value_or(MovementKind::kAdjustment);
    m.delta = result.Get<std::int64_t>(row, 3);
    m.free_after = result.Get<std::int64_t>(row, 4);
    m.reserved_after = result.Get<std::int64_t>(row, 5);
    m.reason = result.Get<std::optional<std::string>>(row, 6);
    m.order_id = result.Get<std::optional<std::string>>(row, 7);
    m.actor = result.Get<std::optional<std::string>>(row, 8);
    record.occurred_at = result.Get<std::string>(row, 9);
    records.push_back(std::move(record));
  }
  co_return records;
}

boost::asio::awaitable<std::optional<Reservation>> LockReservation(pg::Transaction& transaction,
                                                                   std::string order_id) {
  // When another transaction holds a new placeholder for this order, the INSERT waits for it to end.
  co_await transaction.Query(
      "INSERT INTO reservations (order_id, status, version) VALUES ($1::uuid, 'NONE', 0) "
      "ON CONFLICT (order_id) DO NOTHING",
      order_id);
  auto result = co_await transaction.Query(
      "SELECT " + ReservationColumns() + " FROM reservations WHERE order_id = $1::uuid FOR UPDATE", order_id);
  if (result.Empty()) throw ConcurrentChange("the reservation row of order " + order_id + " vanished");
  ReservationRecord record = ReadReservation(result, 0);
  if (record.reservation.version == 0) co_return std::nullopt;
  co_return std::move(record.reservation);
}

boost::asio::awaitable<void> SaveReservation(pg::Transaction& transaction, Reservation r,
                                             std::int64_t expected_version) {
  auto result = co_await transaction.Query(
      "UPDATE reservations SET customer_id = $2, status = $3, version = $4::bigint, order_version = "
      "$5::bigint, "
      "lines = $6::jsonb, total_minor = $7::bigint, currency = $8, reason = $9, missing = $10::jsonb, "
      "created_at = CASE WHEN version = 0 THEN now() ELSE created_at END, updated_at = now() "
      "WHERE order_id = $1::uuid AND version = $11::bigint",
      r.order_id, r.customer_id, ToString(r.status), r.version, r.order_version, LinesJson(r.lines).dump(),
      r.total_minor, r.currency, r.reason, MissingJson(r.missing).dump(), expected_version);
  if (result.AffectedRows() != 1) {
    throw ConcurrentChange("the reservation of order " + r.order_id + " changed since it was read");
  }
}

boost::asio::awaitable<void> DropPlaceholder(pg::Transaction& transaction, std::string order_id) {
  co_await transaction.Query("DELETE FROM reservations WHERE order_id = $1::uuid AND version = 0", order_id);
}

boost::asio::awaitable<std::optional<ReservationRecord>> FindReservation(pg::Pool& pool,
                                                                         std::string order_id) {
  auto result = co_await pool.Query(
      "SELECT " + ReservationColumns() + " FROM reservations WHERE order_id = $1::uuid AND version > 0",
      order_id);
  if (result.Empty()) co_return std::nullopt;
  co_return ReadReservation(result, 0);
}

boost::asio::awaitable<Totals> SumStock(pg::Pool& pool) {
  auto result = co_await pool.Query(
      "SELECT (SELECT coalesce(sum(delta), 0) FROM stock_movements WHERE kind IN ('restock', 'adjustment')), "
      "coalesce(sum(free), 0), coalesce(sum(reserved), 0), coalesce(sum(shipped), 0), count(*) "
      "FROM stock_items");
  co_return Totals{.received = result.Get<std::int64_t>(0, 0),
                   .free = result.Get<std::int64_t>(0, 1),
                   .reserved = result.Get<std::int64_t>(0, 2),
                   .shipped = result.Get<std::int64_t>(0, 3),
                   .products = result.Get<std::int64_t>(0, 4)};
}

}  // namespace microstore::stock
