#include "stock/domain/reservation_decision.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace microstore::stock {
namespace {

constexpr const char* kOutOfStock = "out_of_stock";
constexpr const char* kPaymentFailed = "payment_failed";
constexpr const char* kOrderCancelled = "order_cancelled";

std::map<std::string, StockItem> ByProduct(const std::vector<StockItem>& items) {
  std::map<std::string, StockItem> by_product;
  for (const auto& item : items) by_product.emplace(item.product_id, item);
  return by_product;
}

// Moves `quantity` of each line of the change's reservation between free and reserved
// (`direction` +1 books, -1 releases), recording the items after, their movements and the level
// events of the ones that flipped.
void MoveLines(ReservationChanged& changed, std::map<std::string, StockItem>& items, int direction,
               MovementKind kind, Cause cause) {
  const Reservation& reservation = changed.next.reservation;
  for (const auto& line : reservation.lines) {
    StockItem& item = items.at(line.product_id);
    const bool was_in_stock = item.InStock();
    item.free -= direction * line.quantity;
    item.reserved += direction * line.quantity;
    item.version += 1;
    changed.next.items.push_back(item);
    changed.next.movements.push_back({.product_id = item.product_id,
                                      .kind = kind,
                                      .delta = -direction * line.quantity,
                                      .free_after = item.free,
                                      .reserved_after = item.reserved,
                                      .reason = direction > 0 ? std::nullopt : reservation.reason,
                                      .order_id = reservation.order_id,
                                      .actor = std::nullopt});
    if (item.InStock() != was_in_stock) changed.events.push_back(StockLevelChanged{item, cause});
  }
}

ReservationChanged Book(const OrderCreated& order, const std::vector<StockItem>& stock) {
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

  if (!reservation.missing.empty()) {
    reservation.status = ReservationStatus::kFailed;
    reservation.reason = kOutOfStock;
    std::vector<Event> events{StockReservationFailed{reservation}};
    return {.next = {.reservation = std::move(reservation)}, .events = std::move(events)};
  }

  std::vector<Event> events{StockReserved{reservation}};
  ReservationChanged changed{.next = {.reservation = std::move(reservation)}, .events = std::move(events)};
  MoveLines(changed, items, +1, MovementKind::kReservation, Cause::kReservation);
  return changed;
}

ReservationChanged Release(const Reservation& current, const std::vector<StockItem>& stock,
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

  std::vector<Event> events{StockReleased{released}};
  ReservationChanged changed{.next = {.reservation = std::move(released)}, .events = std::move(events)};
  MoveLines(changed, items, -1, MovementKind::kRelease, Cause::kRelease);
  return changed;
}

ReservationChanged Tombstone(const OrderCancelled& cancelled) {
  return {.next = {.reservation = Reservation{.order_id = cancelled.order_id,
                                              .customer_id = cancelled.customer_id,
                                              .status = ReservationStatus::kCancelled,
                                              .version = 1,
                                              .order_version = std::nullopt,
                                              .lines = {},
                                              .total_minor = std::nullopt,
                                              .currency = std::nullopt,
                                              .reason = kOrderCancelled,
                                              .missing = {}}},
          .events = {}};
}

}  // namespace

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
    return core::Ignored("PaymentFailed for an order with no reservation");
  }
  if (current->status != ReservationStatus::kBooked) {
    return core::Ignored(std::string(TypeOf(event)) + " for a reservation already " +
                         std::string(ToString(current->status)));
  }
  if (std::holds_alternative<PaymentFailed>(event)) return Release(*current, items, kPaymentFailed);
  if (std::holds_alternative<OrderCancelled>(event)) return Release(*current, items, kOrderCancelled);
  return core::Ignored("OrderCreated for a reservation already BOOKED");
}

std::string_view OutcomeName(const ReservationDecision& decision) {
  if (core::IfUnchanged(decision) != nullptr) return "ignored";
  switch (core::ChangedOf(decision).next.reservation.status) {
    case ReservationStatus::kBooked:
      return "booked";
    case ReservationStatus::kFailed:
      return "failed";
    case ReservationStatus::kReleased:
      return "released";
    case ReservationStatus::kCancelled:
      return "tombstoned";
  }
  return "";
}

}  // namespace microstore::stock
