#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/decision.hpp"
#include "stock/domain/events.hpp"
#include "stock/domain/reservation.hpp"
#include "stock/domain/stock_item.hpp"

// How each consumed event changes an order's reservation (docs: saga contract):
//
//   (none)    + OrderCreated   → BOOKED v1 if every line is free (StockReserved), else FAILED v1
//                                (StockReservationFailed listing every short line): all or none
//   (none)    + OrderCancelled → CANCELLED v1: a tombstone, no event, so a late OrderCreated
//                                books nothing
//   (none)    + PaymentFailed  → nothing (no reservation to release)
//   BOOKED    + PaymentFailed  → RELEASED v2, reason payment_failed (StockReleased)
//   BOOKED    + OrderCancelled → RELEASED v2, reason order_cancelled (StockReleased)
//   BOOKED    + OrderCreated   → nothing (a duplicate)
//   FAILED, RELEASED, CANCELLED + anything → nothing (duplicate or stale)
//
// Booking moves each line's quantity from free to reserved, releasing moves it back; either
// emits StockLevelChanged for a product it flips between in stock and out of stock.
namespace microstore::stock {

// The state a reservation event leaves: the reservation to store, the items it changed (after
// the change) and their audit entries.
struct ReservationChange {
  Reservation reservation{};
  std::vector<StockItem> items{};
  std::vector<Movement> movements{};

  bool operator==(const ReservationChange&) const = default;
};
using ReservationChanged = core::Changed<ReservationChange, Event>;
// Unchanged is always kIgnored: nothing to store (and no placeholder to keep).
using ReservationDecision = core::Decision<ReservationChange, Event>;

// The products whose stock Decide reads (to lock them first, in a fixed order): the lines of
// OrderCreated when there is no reservation yet, the reservation's lines when it is BOOKED and
// the event releases it; none otherwise. Sorted, without repeats.
std::vector<std::string> ProductsToLock(const std::optional<Reservation>& current,
                                        const ReservationEvent& event);

// Applies `event` to the order's reservation (`current`; nullopt when there is none). `items`
// holds the stock of the products ProductsToLock names (a product without an item is absent).
// Throws std::logic_error on a broken invariant: releasing a BOOKED line whose item is missing or
// holds fewer reserved units.
ReservationDecision Decide(const std::optional<Reservation>& current, const std::vector<StockItem>& items,
                           const ReservationEvent& event);

// The decision in one word, for the log: booked, failed, released, tombstoned (by the status of
// the reservation it stores) or ignored.
std::string_view OutcomeName(const ReservationDecision& decision);

}  // namespace microstore::stock
