#include "stock/infra/events.hpp"

#include <string>

namespace microstore::stock {
namespace {

using messaging::EventDraft;
using nlohmann::json;

messaging::AggregateRef AggregateOf(const Reservation& reservation) {
  return {"reservation", reservation.order_id, reservation.version,
          std::string(ToString(reservation.status))};
}

// The reservations these events carry are the ones Decide booked, failed or released, so the
// fields a tombstone lacks are present (value() throws on a broken invariant).
struct Drafts {
  EventDraft operator()(const StockLevelChanged& changed) const {
    const StockItem& item = changed.item;
    return {"StockLevelChanged",
            {"stock_item", item.product_id, item.version, std::string(item.Status())},
            {{"product_id", item.product_id},
             {"free", item.free},
             {"reserved", item.reserved},
             {"shipped", item.shipped},
             {"in_stock", item.InStock()},
             {"version", item.version},
             {"cause", ToString(changed.cause)}}};
  }

  EventDraft operator()(const StockReserved& reserved) const {
    const Reservation& r = reserved.reservation;
    return {"StockReserved",
            AggregateOf(r),
            {{"order_id", r.order_id},
             {"customer_id", r.customer_id},
             {"order_version", r.order_version.value()},
             {"items", LinesJson(r.lines)},
             {"total_minor", r.total_minor.value()},
             {"currency", r.currency.value()}}};
  }

  EventDraft operator()(const StockReservationFailed& failed) const {
    const Reservation& r = failed.reservation;
    return {"StockReservationFailed",
            AggregateOf(r),
            {{"order_id", r.order_id},
             {"customer_id", r.customer_id},
             {"order_version", r.order_version.value()},
             {"reason", r.reason.value()},
             {"missing", MissingJson(r.missing)}}};
  }

  EventDraft operator()(const StockReleased& released) const {
    const Reservation& r = released.reservation;
    return {"StockReleased",
            AggregateOf(r),
            {{"order_id", r.order_id},
             {"customer_id", r.customer_id},
             {"reason", r.reason.value()},
             {"items", LinesJson(r.lines)}}};
  }
};

}  // namespace

EventDraft ToDraft(const Event& event) { return std::visit(Drafts{}, event); }

std::vector<EventDraft> ToDrafts(const std::vector<Event>& events) {
  return messaging::DraftsOf(events, ToDraft);
}

json LinesJson(const std::vector<Line>& lines) {
  json array = json::array();
  for (const auto& line : lines)
    array.push_back({{"product_id", line.product_id}, {"quantity", line.quantity}});
  return array;
}

json MissingJson(const std::vector<MissingLine>& missing) {
  json array = json::array();
  for (const auto& line : missing) {
    array.push_back(
        {{"product_id", line.product_id}, {"requested", line.requested}, {"available", line.available}});
  }
  return array;
}

}  // namespace microstore::stock
