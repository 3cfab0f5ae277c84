#include "stock/api/json.hpp"

namespace microstore::stock {
namespace {

using nlohmann::json;

template <typename T>
json OrNull(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

}  // namespace

json ItemJson(const StockItem& item) {
  return {{"product_id", item.product_id}, {"free", item.free},          {"reserved", item.reserved},
          {"shipped", item.shipped},       {"in_stock", item.InStock()}, {"version", item.version}};
}

json ReservationJson(const ReservationRecord& record) {
  const Reservation& r = record.reservation;
  return {{"order_id", r.order_id},
          {"customer_id", r.customer_id},
          {"status", ToString(r.status)},
          {"version", r.version},
          {"order_version", OrNull(r.order_version)},
          {"items", LinesToJson(r.lines)},
          {"total_minor", OrNull(r.total_minor)},
          {"currency", OrNull(r.currency)},
          {"reason", OrNull(r.reason)},
          {"missing", MissingToJson(r.missing)},
          {"created_at", record.created_at},
          {"updated_at", record.updated_at}};
}

json MovementJson(const MovementRecord& record) {
  const Movement& m = record.movement;
  return {{"id", record.id},
          {"product_id", m.product_id},
          {"kind", ToString(m.kind)},
          {"delta", m.delta},
          {"free_after", m.free_after},
          {"reserved_after", m.reserved_after},
          {"reason", OrNull(m.reason)},
          {"order_id", OrNull(m.order_id)},
          {"actor", OrNull(m.actor)},
          {"occurred_at", record.occurred_at}};
}

json TotalsJson(const Totals& totals) {
  return {{"received", totals.received},
          {"free", totals.free},
          {"reserved", totals.reserved},
          {"shipped", totals.shipped},
          {"products", totals.products}};
}

}  // namespace microstore::stock
