#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "stock/domain/common.hpp"
#include "stock/domain/stock_item.hpp"

// The reservation of an order's stock: the saga's stock step (docs: saga contract).
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

enum class ReservationStatus { kBooked, kFailed, kReleased, kCancelled };
std::string_view ToString(ReservationStatus status);
std::optional<ReservationStatus> ParseReservationStatus(std::string_view text);

struct Line {
  std::string product_id;  // canonical UUID
  std::int64_t quantity = 0;

  bool operator==(const Line&) const = default;
};

// A line that could not be booked. A product stock has never heard of has available 0.
struct MissingLine {
  std::string product_id;
  std::int64_t requested = 0;
  std::int64_t available = 0;

  bool operator==(const MissingLine&) const = default;
};

struct Reservation {
  std::string order_id;
  std::string customer_id;
  ReservationStatus status = ReservationStatus::kBooked;
  std::int64_t version = 1;
  std::optional<std::int64_t> order_version;  // the order's version in OrderCreated; none on a tombstone
  std::vector<Line> lines;                    // the order's lines; none on a tombstone
  std::optional<std::int64_t> total_minor;    // copied from OrderCreated (payment charges it)
  std::optional<std::string> currency;
  // out_of_stock (FAILED), payment_failed | order_cancelled (RELEASED, CANCELLED); none when BOOKED.
  std::optional<std::string> reason;
  std::vector<MissingLine> missing;  // FAILED only

  bool operator==(const Reservation&) const = default;
};

// The events a reservation reacts to, read from their payloads (domain/incoming.hpp).
struct OrderCreated {
  std::string order_id;
  std::string customer_id;
  std::int64_t order_version = 1;
  std::vector<Line> lines;  // at least one; one line per product (repeats are summed)
  std::int64_t total_minor = 0;
  std::string currency;

  bool operator==(const OrderCreated&) const = default;
};
struct OrderCancelled {
  std::string order_id;
  std::string customer_id;

  bool operator==(const OrderCancelled&) const = default;
};
struct PaymentFailed {
  std::string order_id;
  std::string customer_id;

  bool operator==(const PaymentFailed&) const = default;
};
using ReservationEvent = std::variant<OrderCreated, OrderCancelled, PaymentFailed>;

const std::string& OrderIdOf(const ReservationEvent& event);

struct ReservationDecision {
  enum class Outcome { kBooked, kFailed, kReleased, kTombstoned, kIgnored };
  Outcome outcome = Outcome::kIgnored;
  std::optional<Reservation> reservation;  // the state to store; nullopt: nothing to store
  std::vector<StockItem> items;            // the items changed, after the change
  std::vector<Movement> movements;         // their audit entries
  std::vector<EventDraft> events;
  std::string ignored_because;  // kIgnored: why nothing happened (for the log)
};

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

// Event payloads (reservation aggregate {"reservation", order_id, version, status}):
//   StockReserved          v1 BOOKED   {order_id, customer_id, order_version, items[{product_id,
//                                       quantity}], total_minor, currency}
//   StockReservationFailed v1 FAILED   {order_id, customer_id, order_version, reason "out_of_stock",
//                                       missing[{product_id, requested, available}]}
//   StockReleased          v2 RELEASED {order_id, customer_id, reason, items[{product_id, quantity}]}
nlohmann::json LinesToJson(const std::vector<Line>& lines);
nlohmann::json MissingToJson(const std::vector<MissingLine>& missing);

}  // namespace microstore::stock
