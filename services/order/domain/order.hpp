#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// An order: what the customer bought at which fixed price, and where the checkout saga stands.
// Pure values; money is an integer of minor units plus an ISO 4217 currency.
namespace microstore::order {

// PENDING (created, waiting for stock) → RESERVED (stock booked, waiting for payment) → PAID;
// CANCELLED is terminal and always carries a reason.
enum class OrderStatus { kPending, kReserved, kPaid, kCancelled };
std::string_view ToString(OrderStatus status);
// The status with exactly this wire name ("PENDING", …); nullopt for anything else.
std::optional<OrderStatus> ParseStatus(std::string_view text);
inline constexpr OrderStatus kAllStatuses[] = {OrderStatus::kPending, OrderStatus::kReserved,
                                               OrderStatus::kPaid, OrderStatus::kCancelled};

enum class CancelReason { kOutOfStock, kInsufficientFunds, kPaymentFailed, kCustomerCancelled, kOperatorCancelled };
// "out_of_stock", "insufficient_funds", "payment_failed", "customer_cancelled", "operator_cancelled".
std::string_view ToString(CancelReason reason);
std::optional<CancelReason> ParseCancelReason(std::string_view text);

// Where the saga stands for one order: the part of an order its events change.
struct OrderState {
  OrderStatus status = OrderStatus::kPending;
  std::optional<CancelReason> reason;  // set exactly when CANCELLED
  std::int64_t version = 1;            // 1 at creation, +1 per status change
  // The highest version applied of each source aggregate (stock's reservation, payment's payment)
  // among the events that move the status; 0 before any.
  std::int64_t reservation_version = 0;
  std::int64_t payment_version = 0;
  // Compensations confirmed by stock (StockReleased) and payment (PaymentRefunded).
  bool stock_released = false;
  bool refunded = false;

  bool operator==(const OrderState&) const = default;
};

// One line of an order, priced when the order was created.
struct OrderItem {
  std::string product_id;  // lower-case UUID
  std::string sku;
  std::string name;
  std::int64_t quantity = 0;
  std::int64_t unit_price_minor = 0;
  std::int64_t line_total_minor = 0;  // unit_price_minor × quantity

  bool operator==(const OrderItem&) const = default;
};

struct Order {
  std::string id;           // lower-case UUID
  std::string customer_id;  // the customer's user id (the token's subject)
  OrderState state;
  std::vector<OrderItem> items;
  std::int64_t total_minor = 0;
  std::string currency;
  std::string created_at;  // RFC 3339 UTC with milliseconds
  std::string updated_at;
  std::string idempotency_key;

  bool operator==(const Order&) const = default;
};

}  // namespace microstore::order
