#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "payment/domain/account.hpp"
#include "platform/messaging/envelope.hpp"

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

inline constexpr const char* kProducer = "payment";
inline constexpr const char* kAggregateType = "payment";

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

// {payment_id, order_id, status, amount_minor, currency, reason (string|null), version, created_at,
//  updated_at}
nlohmann::json ToJson(const Payment& payment);

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

// An event to emit, without envelope (messaging::AppendDrafts adds ids, clock and context).
using messaging::EventDraft;

// A change of the account's balance and the ledger entry that records it.
struct BalanceMove {
  EntryKind kind = EntryKind::kCharge;  // kCharge or kRefund
  std::int64_t amount_minor = 0;
  std::int64_t balance_after_minor = 0;

  bool operator==(const BalanceMove&) const = default;
};

namespace decision {
// Store `payment` (insert when `created`, else update from version payment.version − 1), move the
// balance when `move` is set, emit `event` when set.
struct Change {
  Payment payment{};
  bool created = false;
  std::optional<BalanceMove> move{};
  std::optional<EventDraft> event{};

  bool operator==(const Change&) const = default;
};
// Nothing to do; `why` is for the log.
struct Unchanged {
  std::string why{};

  bool operator==(const Unchanged&) const = default;
};
}  // namespace decision
using PaymentDecision = std::variant<decision::Unchanged, decision::Change>;

// `account` is the charged customer's (its currency and balance decide); `new_payment_id` is
// used when a payment is created.
PaymentDecision DecideOnStockReserved(const std::optional<Payment>& current, const Account& account,
                                      const ChargeRequest& request, std::string new_payment_id);

// `account` is the account of the payment's customer when there is a payment (a refund credits
// it), else the cancelling customer's.
PaymentDecision DecideOnOrderCancelled(const std::optional<Payment>& current, const Account& account,
                                       const Cancellation& cancellation, std::string new_payment_id);

// The events, as the contract defines them (aggregate {type "payment", id order_id, version,
// status}):
//   PaymentSucceeded (v1 CAPTURED) {order_id, customer_id, payment_id, amount_minor, currency,
//                                   order_version}
//   PaymentFailed    (v1 FAILED)   {…the same…, reason}
//   PaymentRefunded  (v2 REFUNDED) {order_id, customer_id, payment_id, amount_minor, currency,
//                                   reason "order_cancelled"}
EventDraft PaymentSucceeded(const Payment& payment);
EventDraft PaymentFailed(const Payment& payment);
EventDraft PaymentRefunded(const Payment& payment);

}  // namespace microstore::payment
