#include "payment/domain/payment.hpp"

namespace microstore::payment {
namespace {

messaging::AggregateRef AggregateOf(const Payment& payment) {
  return {kAggregateType, payment.order_id, payment.version, std::string(ToString(payment.status))};
}

nlohmann::json MoneyPayload(const Payment& payment) {
  return {{"order_id", payment.order_id},
          {"customer_id", payment.customer_id},
          {"payment_id", payment.payment_id},
          {"amount_minor", payment.amount_minor},
          {"currency", payment.currency}};
}

std::string Terminal(const Payment& payment) {
  return "the payment is already " + std::string(ToString(payment.status));
}

}  // namespace

std::string_view ToString(PaymentStatus status) {
  switch (status) {
    case PaymentStatus::kCaptured:
      return "CAPTURED";
    case PaymentStatus::kFailed:
      return "FAILED";
    case PaymentStatus::kRefunded:
      return "REFUNDED";
    case PaymentStatus::kVoided:
      return "VOIDED";
  }
  return "FAILED";
}

std::optional<PaymentStatus> ParsePaymentStatus(std::string_view text) {
  for (const PaymentStatus status :
       {PaymentStatus::kCaptured, PaymentStatus::kFailed, PaymentStatus::kRefunded, PaymentStatus::kVoided}) {
    if (ToString(status) == text) return status;
  }
  return std::nullopt;
}

nlohmann::json ToJson(const Payment& payment) {
  return {{"payment_id", payment.payment_id},
          {"order_id", payment.order_id},
          {"status", ToString(payment.status)},
          {"amount_minor", payment.amount_minor},
          {"currency", payment.currency},
          {"reason", payment.reason ? nlohmann::json(*payment.reason) : nlohmann::json(nullptr)},
          {"version", payment.version},
          {"created_at", payment.created_at},
          {"updated_at", payment.updated_at}};
}

PaymentDecision DecideOnStockReserved(const std::optional<Payment>& current, const Account& account,
                                      const ChargeRequest& request, std::string new_payment_id) {
  if (current) {
    if (current->status == PaymentStatus::kVoided)
      return decision::Unchanged{"the order was cancelled before payment"};
    return decision::Unchanged{Terminal(*current)};
  }
  Payment payment{.payment_id = std::move(new_payment_id),
                  .order_id = request.order_id,
                  .customer_id = request.customer_id,
                  .amount_minor = request.amount_minor,
                  .currency = request.currency,
                  .order_version = request.order_version,
                  .version = 1};
  if (account.currency != request.currency || account.balance_minor < request.amount_minor) {
    payment.status = PaymentStatus::kFailed;
    payment.reason = account.currency != request.currency ? kCurrencyMismatch : kInsufficientFunds;
    EventDraft event = PaymentFailed(payment);
    return decision::Change{std::move(payment), true, std::nullopt, std::move(event)};
  }
  payment.status = PaymentStatus::kCaptured;
  const BalanceMove charge{EntryKind::kCharge, request.amount_minor,
                           account.balance_minor - request.amount_minor};
  EventDraft event = PaymentSucceeded(payment);
  return decision::Change{std::move(payment), true, charge, std::move(event)};
}

PaymentDecision DecideOnOrderCancelled(const std::optional<Payment>& current, const Account& account,
                                       const Cancellation& cancellation, std::string new_payment_id) {
  if (!current) {
    // The cancellation overtook the reservation: remember it, so that the StockReserved still on
    // its way charges nothing.
    Payment tombstone{.payment_id = std::move(new_payment_id),
                      .order_id = cancellation.order_id,
                      .customer_id = cancellation.customer_id,
                      .status = PaymentStatus::kVoided,
                      .amount_minor = cancellation.total_minor,
                      .currency = cancellation.currency,
                      .reason = kOrderCancelled,
                      .version = 1};
    return decision::Change{std::move(tombstone), true, std::nullopt, std::nullopt};
  }
  if (current->status != PaymentStatus::kCaptured) return decision::Unchanged{Terminal(*current)};
  Payment refunded = *current;
  refunded.status = PaymentStatus::kRefunded;
  refunded.reason = kOrderCancelled;
  refunded.version = current->version + 1;
  const BalanceMove refund{EntryKind::kRefund, current->amount_minor,
                           account.balance_minor + current->amount_minor};
  EventDraft event = PaymentRefunded(refunded);
  return decision::Change{std::move(refunded), false, refund, std::move(event)};
}

EventDraft PaymentSucceeded(const Payment& payment) {
  nlohmann::json payload = MoneyPayload(payment);
  payload["order_version"] = payment.order_version.value_or(0);
  return {"PaymentSucceeded", AggregateOf(payment), std::move(payload)};
}

EventDraft PaymentFailed(const Payment& payment) {
  nlohmann::json payload = MoneyPayload(payment);
  payload["order_version"] = payment.order_version.value_or(0);
  payload["reason"] = payment.reason.value_or(kInsufficientFunds);
  return {"PaymentFailed", AggregateOf(payment), std::move(payload)};
}

EventDraft PaymentRefunded(const Payment& payment) {
  nlohmann::json payload = MoneyPayload(payment);
  payload["reason"] = kOrderCancelled;
  return {"PaymentRefunded", AggregateOf(payment), std::move(payload)};
}

}  // namespace microstore::payment
