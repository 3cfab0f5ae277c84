#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The reservation of an order's stock (the saga's stock step) and the consumed events it reacts
// to. How each event changes it: domain/reservation_decision.hpp.
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

// A stored reservation with its times (RFC 3339 UTC, milliseconds).
struct ReservationRecord {
  Reservation reservation;
  std::string created_at;
  std::string updated_at;

  bool operator==(const ReservationRecord&) const = default;
};

// The events a reservation reacts to, as read from their payloads (api/json.hpp).
struct OrderCreated {
  std::string order_id;
  std::string customer_id;
  std::int64_t order_version = 1;
  std::vector<Line> lines;  // at least one; one line per product (SumLines)
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
// The consumed event's type: "OrderCreated", "OrderCancelled" or "PaymentFailed".
std::string_view TypeOf(const ReservationEvent& event);

// Largest quantity of one order line stock accepts; keeps every sum far from overflow.
inline constexpr std::int64_t kMaxLineQuantity = 1'000'000'000;

// An order may name one product on several lines; a reservation books one line per product:
// their quantities summed, in the order of the product's first line.
std::vector<Line> SumLines(std::vector<Line> lines);

// Three upper-case ASCII letters: the shape of an ISO 4217 code.
bool IsCurrencyCode(std::string_view text);

}  // namespace microstore::stock
