#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "payment/domain/account.hpp"
#include "payment/domain/events.hpp"
#include "platform/core/decision.hpp"

// The payment of one order (aggregate {type "payment", id order_id}) and its state machine.
//
//   (none)    + StockReserved  → CAPTURED v1 (balance −= amount, a charge entry), PaymentSucceeded
//                                or FAILED v1 (insufficient_funds | currency_mismatch), PaymentFailed
//   (none)    + OrderCancelled → VOIDED v1: a tombstone, no event; a later StockReserved charges
//                                nothing and emits nothing
//   CAPTURED  + OrderCancelled → REFUNDED v2 (balance += amount, a refund entry), PaymentRefunded
//   CAPTURED  + StockReserved  → unchanged: an order is never charged twice
//   FAILED, REFUNDED, VOIDED   → unchanged whatever arrives
//
// Pure: the caller passes the account (locked), the current payment (locked) and a fresh id.
namespace microstore::payment {

enum class PaymentStatus { kCaptured, kFailed, kRefunded, kVoided };
// "CAPTURED", "FAILED", "REFUNDED", "VOIDED".
std::string_view ToString(PaymentStatus status);
std::optional<PaymentStatus> ParsePaymentStatus(std::string_view text);

// Why a payment failed, and why it was refunded or voided (the stored and published names).
inline constexpr const char* kInsufficientFunds = "insufficient_funds";
inline constexpr const char* kCurrencyMismatch = "currency_mismatch";
inline constexpr const char* kOrderCancelled = "order_cancelled";

struct Payment {
  std::string payment_id{};
  std::string order_id{};
  std::string customer_id{};
  PaymentStatus status = PaymentStatus::kCaptured;
  std::int64_t amount_minor = 0;
  std::string currency{};
  std::optional<std::string> reason{};          // FAILED: why; REFUNDED, VOIDED: "order_cancelled"
  std::optional<std::int64_t> order_version{};  // from StockReserved; none for a tombstone
  std::int64_t version = 1;
  std::string created_at{};  // set by the store
  std::string updated_at{};

  bool operator==(const Payment&) const = default;
};

// Largest order total accepted from StockReserved / OrderCancelled (far above any real order,
// low enough that balances cannot overflow).
inline constexpr std::int64_t kMaxOrderTotalMinor = kMaxBalanceMinor;

// Who may read an order's payments: an operator (`customer_id` nullopt) any, a customer only
// their own.
bool MayRead(const Payment& payment, const std::optional<std::string>& customer_id);

// StockReserved: the stock of the order is booked; charge its total.
struct ChargeRequest {
  std::string order_id{};
  std::string customer_id{};
  std::int64_t order_version = 0;
  std::int64_t amount_minor = 0;
  std::string currency{};

  bool operator==(const ChargeRequest&) const = default;
};

// OrderCancelled: whatever the cause, money taken for the order goes back.
struct Cancellation {
  std::string order_id{};
  std::string customer_id{};
  std::int64_t total_minor = 0;
  std::string currency{};

  bool operator==(const Cancellation&) const = default;
};

// A change of the account's balance and the ledger entry that records it.
struct BalanceMove {
  EntryKind kind = EntryKind::kCharge;  // kCharge or kRefund
  std::int64_t amount_minor = 0;
  std::int64_t balance_after_minor = 0;

  bool operator==(const BalanceMove&) const = default;
};

// What a decision changes: the payment to store, and the balance to move when money moves. A
// payment the decision created has no current one (store it new); otherwise it replaces the
// current at version − 1.
struct PaymentState {
  Payment payment{};
  std::optional<BalanceMove> move{};

  bool operator==(const PaymentState&) const = default;
};
using PaymentDecision = core::Decision<PaymentState, Event>;

// `account` is the charged customer's (its currency and balance decide); `new_payment_id` is
// used when a payment is created.
PaymentDecision DecideOnStockReserved(const std::optional<Payment>& current, const Account& account,
                                      const ChargeRequest& request, std::string new_payment_id);

// `account` is the account of the payment's customer when there is a payment (a refund credits
// it), else the cancelling customer's.
PaymentDecision DecideOnOrderCancelled(const std::optional<Payment>& current, const Account& account,
                                       const Cancellation& cancellation, std::string new_payment_id);

}  // namespace microstore::payment
