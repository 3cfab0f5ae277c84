#include "payment/domain/payment.hpp"

#include <utility>

namespace microstore::payment {
namespace {

std::string Terminal(const Payment& payment) {
  return "the payment is already " + std::string(ToString(payment.status));
}

PaymentSucceeded SucceededEvent(const Payment& payment) {
  return {.order_id = payment.order_id,
          .customer_id = payment.customer_id,
          .payment_id = payment.payment_id,
          .amount_minor = payment.amount_minor,
          .currency = payment.currency,
          .order_version = payment.order_version.value_or(0),
          .version = payment.version};
}

PaymentFailed FailedEvent(const Payment& payment) {
  return {.order_id = payment.order_id,
          .customer_id = payment.customer_id,
          .payment_id = payment.payment_id,
          .amount_minor = payment.amount_minor,
          .currency = payment.currency,
          .order_version = payment.order_version.value_or(0),
          .reason = payment.reason.value_or(kInsufficientFunds),
          .version = payment.version};
}

PaymentRefunded RefundedEvent(const Payment& payment) {
  return {.order_id = payment.order_id,
          .customer_id = payment.customer_id,
          .payment_id = payment.payment_id,
          .amount_minor = payment.amount_minor,
          .currency = payment.currency,
          .reason = kOrderCancelled,
          .version = payment.version};
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

bool MayRead(const Payment& payment, const std::optional<std::string>& customer_id) {
  return !customer_id || payment.customer_id == *customer_id;
}

PaymentDecision DecideOnStockReserved(const std::optional<Payment>& current, const Account& account,
                                      const ChargeRequest& request, std::string new_payment_id) {
  if (current) {
    if (current->status == PaymentStatus::kVoided)
      return core::Ignored("the order was cancelled before payment");
    return core::Ignored(Terminal(*current));
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
    Event event = FailedEvent(payment);
    return core::Changed<PaymentState, Event>{{std::move(payment), std::nullopt}, {std::move(event)}};
  }
  payment.status = PaymentStatus::kCaptured;
  const BalanceMove charge{EntryKind::kCharge, request.amount_minor,
                           account.balance_minor - request.amount_minor};
  Event event = SucceededEvent(payment);
  return core::Changed<PaymentState, Event>{{std::move(payment), charge}, {std::move(event)}};
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
    return core::Changed<PaymentState, Event>{{std::move(tombstone), std::nullopt}, {}};
  }
  if (current->status != PaymentStatus::kCaptured) return core::Ignored(Terminal(*current));
  Payment refunded = *current;
  refunded.status = PaymentStatus::kRefunded;
  refunded.reason = kOrderCancelled;
  refunded.version = current->version + 1;
  const BalanceMove refund{EntryKind::kRefund, current->amount_minor,
                           account.balance_minor + current->amount_minor};
  Event event = RefundedEvent(refunded);
  return core::Changed<PaymentState, Event>{{std::move(refunded), refund}, {std::move(event)}};
}

}  // namespace microstore::payment
