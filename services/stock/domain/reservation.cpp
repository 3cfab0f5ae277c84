#include "stock/domain/reservation.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace microstore::stock {
namespace {

using Outcome = ReservationDecision::Outcome;

constexpr const char* kOutOfStock = "out_of_stock";
constexpr const char* kPaymentFailed = "payment_failed";
constexpr const char* kOrderCancelled = "order_cancelled";

messaging::AggregateRef AggregateOf(const Reservation& reservation) {
  return {"reservation", reservation.order_id, reservation.version,
          std::string(ToString(reservation.status))};
}

ReservationDecision Ignored(std::string why) {
  ReservationDecision decision;
  decision.ignored_because = std::move(why);
  return decision;
}

std::map<std::string, StockItem> ByProduct(const std::vector<StockItem>& items) {
  std::map<std::string, StockItem> by_product;
  for (const auto& item : items) by_product.emplace(item.product_id, item);
  return by_product;
}

// Moves `quantity` of each line between free and reserved (`direction` +1 books, -1 releases),
// recording the items after, their movements and the level events of the ones that flipped.
void MoveLines(ReservationDecision& decision, std::map<std::string, StockItem>& items,
               const Reservation& reservation, int direction, MovementKind kind, Cause cause) {
  for (const auto& line : reservation.lines) {
    StockItem& item = items.at(line.product_id);
    const bool was_in_stock = item.InStock();
    item.free -= direction * line.quantity;
    item.reserved += direction * line.quantity;
    item.version += 1;
    decision.items.push_back(item);
    decision.movements.push_back({.product_id = item.product_id,
                                  .kind = kind,
                                  .delta = -direction * line.quantity,
                                  .free_after = item.free,
                                  .reserved_after = item.reserved,
                                  .reason = direction > 0 ? std::nullopt : reservation.reason,
                                  .order_id = reservation.order_id,
                                  .actor = std::nullopt});
    if (item.InStock() != was_in_stock) decision.events.push_back(LevelChanged(item, cause));
  }
}

ReservationDecision Book(const OrderCreated& order, const std::vector<StockItem>& stock) {
  std::map<std::string, StockItem> items = ByProduct(stock);
  Reservation reservation{.order_id = order.order_id,
                          .customer_id = order.customer_id,
                          .status = ReservationStatus::kBooked,
                          .version = 1,
                          .order_version = order.order_version,
                          .lines = order.lines,
                          .total_minor = order.total_minor,
                          .currency = order.currency,
                          .reason = std::nullopt,
                          .missing = {}};
  for (const auto& line : order.lines) {
    const auto it = items.find(line.product_id);
    const std::int64_t available = it == items.end() ? 0 : it->second.free;
    if (line.quantity > available) reservation.missing.push_back({line.product_id, line.quantity, available});
  }

  ReservationDecision decision;
  if (!reservation.missing.empty()) {
    reservation.status = ReservationStatus::kFailed;
    reservation.reason = kOutOfStock;
    decision.outcome = Outcome::kFailed;
    decision.events.push_back({"StockReservationFailed",
                               AggregateOf(reservation),
                               {{"order_id", order.order_id},
                                {"customer_id", order.customer_id},
                                {"order_version", order.order_version},
                                {"reason", kOutOfStock},
                                {"missing", MissingToJson(reservation.missing)}}});
    decision.reservation = std::move(reservation);
    return decision;
  }

  decision.outcome = Outcome::kBooked;
  decision.events.push_back({"StockReserved",
                             AggregateOf(reservation),
                             {{"order_id", order.order_id},
                              {"customer_id", order.customer_id},
                              {"order_version", order.order_version},
                              {"items", LinesToJson(order.lines)},
                              {"total_minor", order.total_minor},
                              {"currency", order.currency}}});
  MoveLines(decision, items, reservation, +1, MovementKind::kReservation, Cause::kReservation);
  decision.reservation = std::move(reservation);
  return decision;
}

ReservationDecision Release(const Reservation& current, const std::vector<StockItem>& stock,
                            const char* reason) {
  std::map<std::string, StockItem> items = ByProduct(stock);
  for (const auto& line : current.lines) {
    const auto it = items.find(line.product_id);
    if (it == items.end() || it->second.reserved < line.quantity) {
      throw std::logic_error("reservation " + current.order_id + " holds " + std::to_string(line.quantity) +
                             " of product " + line.product_id +
                             " that its stock item does not have reserved");
    }
  }
  Reservation released = current;
  released.status = ReservationStatus::kReleased;
  released.version = current.version + 1;
  released.reason = reason;

  ReservationDecision decision;
  decision.outcome = Outcome::kReleased;
  decision.events.push_back({"StockReleased",
                             AggregateOf(released),
                             {{"order_id", released.order_id},
                              {"customer_id", released.customer_id},
                              {"reason", reason},
                              {"items", LinesToJson(released.lines)}}});
  MoveLines(decision, items, released, -1, MovementKind::kRelease, Cause::kRelease);
  decision.reservation = std::move(released);
  return decision;
}

ReservationDecision Tombstone(const OrderCancelled& cancelled) {
  ReservationDecision decision;
  decision.outcome = Outcome::kTombstoned;
  decision.reservation = Reservation{.order_id = cancelled.order_id,
                                     .customer_id = cancelled.customer_id,
                                     .status = ReservationStatus::kCancelled,
                                     .version = 1,
                                     .order_version = std::nullopt,
                                     .lines = {},
                                     .total_minor = std::nullopt,
                                     .currency = std::nullopt,
                                     .reason = kOrderCancelled,
                                     .missing = {}};
  return decision;
}

const char* EventName(const ReservationEvent& event) {
  if (std::holds_alternative<OrderCreated>(event)) return "OrderCreated";
  if (std::holds_alternative<OrderCancelled>(event)) return "OrderCancelled";
  return "PaymentFailed";
}

}  // namespace

std::string_view ToString(ReservationStatus status) {
  switch (status) {
    case ReservationStatus::kBooked:
      return "BOOKED";
    case ReservationStatus::kFailed:
      return "FAILED";
    case ReservationStatus::kReleased:
      return "RELEASED";
    case ReservationStatus::kCancelled:
      return "CANCELLED";
  }
  return "";
}

std::optional<ReservationStatus> ParseReservationStatus(std::string_view text) {
  for (ReservationStatus status : {ReservationStatus::kBooked, ReservationStatus::kFailed,
                                   ReservationStatus::kReleased, ReservationStatus::kCancelled}) {
    if (ToString(status) == text) return status;
  }
  return std::nullopt;
}

const std::string& OrderIdOf(const ReservationEvent& event) {
  return std::visit([](const auto& e) -> const std::string& { return e.order_id; }, event);
}

std::vector<std::string> ProductsToLock(const std::optional<Reservation>& current,
                                        const ReservationEvent& event) {
  std::vector<std::string> products;
  if (!current) {
    if (const auto* order = std::get_if<OrderCreated>(&event)) {
      for (const auto& line : order->lines) products.push_back(line.product_id);
    }
  } else if (current->status == ReservationStatus::kBooked && !std::holds_alternative<OrderCreated>(event)) {
    for (const auto& line : current->lines) products.push_back(line.product_id);
  }
  std::sort(products.begin(), products.end());
  products.erase(std::unique(products.begin(), products.end()), products.end());
  return products;
}

ReservationDecision Decide(const std::optional<Reservation>& current, const std::vector<StockItem>& items,
                           const ReservationEvent& event) {
  if (!current) {
    if (const auto* order = std::get_if<OrderCreated>(&event)) return Book(*order, items);
    if (const auto* cancelled = std::get_if<OrderCancelled>(&event)) return Tombstone(*cancelled);
    return Ignored("PaymentFailed for an order with no reservation");
  }
  if (current->status != ReservationStatus::kBooked) {
    return Ignored(std::string(EventName(event)) + " for a reservation already " +
                   std::string(ToString(current->status)));
  }
  if (std::holds_alternative<PaymentFailed>(event)) return Release(*current, items, kPaymentFailed);
  if (std::holds_alternative<OrderCancelled>(event)) return Release(*current, items, kOrderCancelled);
  return Ignored("OrderCreated for a reservation already BOOKED");
}

nlohmann::json LinesToJson(const std::vector<Line>& lines) {
  nlohmann::json json = nlohmann::json::array();
  for (const auto& line : lines)
    json.push_back({{"product_id", line.product_id}, {"quantity", line.quantity}});
  return json;
}

nlohmann::json MissingToJson(const std::vector<MissingLine>& missing) {
  nlohmann::json json = nlohmann::json::array();
  for (const auto& line : missing) {
    json.push_back(
        {{"product_id", line.product_id}, {"requested", line.requested}, {"available", line.available}});
  }
  return json;
}

}  // namespace microstore::stock
