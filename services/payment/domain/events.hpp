#pragma once

#include <cstdint>
#include <string>
#include <variant>

// The events payment emits (contracts/asyncapi.yaml), each about the payment of one order
// (aggregate {type "payment", id order_id, version, status}); infra/events.cpp writes them as
// outbox rows. The aggregate's status follows from the type: CAPTURED, FAILED, REFUNDED.
namespace microstore::payment {

// v1 CAPTURED: the order's total was charged.
struct PaymentSucceeded {
  std::string order_id{};
  std::string customer_id{};
  std::string payment_id{};
  std::int64_t amount_minor = 0;
  std::string currency{};
  std::int64_t order_version = 0;  // of the StockReserved that was charged
  std::int64_t version = 1;        // the payment's

  bool operator==(const PaymentSucceeded&) const = default;
};

// v1 FAILED: nothing was charged, for `reason` (insufficient_funds | currency_mismatch).
struct PaymentFailed {
  std::string order_id{};
  std::string customer_id{};
  std::string payment_id{};
  std::int64_t amount_minor = 0;
  std::string currency{};
  std::int64_t order_version = 0;
  std::string reason{};
  std::int64_t version = 1;

  bool operator==(const PaymentFailed&) const = default;
};

// v2 REFUNDED: the captured amount went back, because the order was cancelled.
struct PaymentRefunded {
  std::string order_id{};
  std::string customer_id{};
  std::string payment_id{};
  std::int64_t amount_minor = 0;
  std::string currency{};
  std::string reason{};  // "order_cancelled"
  std::int64_t version = 2;

  bool operator==(const PaymentRefunded&) const = default;
};

using Event = std::variant<PaymentSucceeded, PaymentFailed, PaymentRefunded>;

}  // namespace microstore::payment
