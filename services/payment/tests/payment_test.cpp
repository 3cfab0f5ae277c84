// The payment state machine: every status × every input, and the events it emits.
#include "payment/domain/payment.hpp"

#include <gtest/gtest.h>

namespace microstore::payment {
namespace {

constexpr const char* kOrder = "0b6e1b4e-6c1f-4d43-9d5e-2f4b8c1a7e01";
constexpr const char* kCustomer = "5a1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
constexpr const char* kNewId = "7f3e2d1c-0b9a-4887-a665-544332211000";

Account AccountWith(std::int64_t balance, std::string currency = "RUB") {
  return {.customer_id = kCustomer, .balance_minor = balance, .currency = std::move(currency), .version = 3};
}

ChargeRequest Reserved(std::int64_t amount, std::string currency = "RUB") {
  return {.order_id = kOrder,
          .customer_id = kCustomer,
          .order_version = 1,
          .amount_minor = amount,
          .currency = std::move(currency)};
}

Cancellation Cancelled(std::int64_t total = 5000) {
  return {.order_id = kOrder, .customer_id = kCustomer, .total_minor = total, .currency = "RUB"};
}

Payment Existing(PaymentStatus status, std::int64_t version = 1) {
  return {.payment_id = "11111111-2222-4333-8444-555555555555",
          .order_id = kOrder,
          .customer_id = kCustomer,
          .status = status,
          .amount_minor = 5000,
          .currency = "RUB",
          .order_version = 1,
          .version = version,
          .created_at = "2026-01-01T00:00:00.000Z",
          .updated_at = "2026-01-01T00:00:00.000Z"};
}

const core::Changed<PaymentState, Event>& ChangeOf(const PaymentDecision& decided) {
  EXPECT_EQ(core::IfUnchanged(decided), nullptr);
  return core::ChangedOf(decided);
}

bool Unchanged(const PaymentDecision& decided) { return core::IfUnchanged(decided) != nullptr; }

TEST(PaymentStatus, NamesRoundTrip) {
  for (const auto status :
       {PaymentStatus::kCaptured, PaymentStatus::kFailed, PaymentStatus::kRefunded, PaymentStatus::kVoided}) {
    EXPECT_EQ(ParsePaymentStatus(ToString(status)), status);
  }
  EXPECT_EQ(ToString(PaymentStatus::kCaptured), "CAPTURED");
  EXPECT_EQ(ToString(PaymentStatus::kVoided), "VOIDED");
  EXPECT_EQ(ParsePaymentStatus("captured"), std::nullopt);
  EXPECT_EQ(ParsePaymentStatus(""), std::nullopt);
}

TEST(StockReserved, WithEnoughMoneyCapturesChargesAndEmitsPaymentSucceeded) {
  const auto decided = DecideOnStockReserved(std::nullopt, AccountWith(8000), Reserved(5000), kNewId);
  const auto& change = ChangeOf(decided);
  const Payment& payment = change.next.payment;
  EXPECT_EQ(payment.status, PaymentStatus::kCaptured);
  EXPECT_EQ(payment.payment_id, kNewId);
  EXPECT_EQ(payment.order_id, kOrder);
  EXPECT_EQ(payment.customer_id, kCustomer);
  EXPECT_EQ(payment.amount_minor, 5000);
  EXPECT_EQ(payment.currency, "RUB");
  EXPECT_EQ(payment.version, 1);
  EXPECT_EQ(payment.order_version, 1);
  EXPECT_EQ(payment.reason, std::nullopt);
  EXPECT_EQ(change.next.move, (BalanceMove{EntryKind::kCharge, 5000, 3000}));
  EXPECT_EQ(change.events, (std::vector<Event>{PaymentSucceeded{.order_id = kOrder,
                                                                .customer_id = kCustomer,
                                                                .payment_id = kNewId,
                                                                .amount_minor = 5000,
                                                                .currency = "RUB",
                                                                .order_version = 1,
                                                                .version = 1}}));
}

TEST(StockReserved, TheExactBalanceIsEnoughAndLeavesZero) {
  const auto decided = DecideOnStockReserved(std::nullopt, AccountWith(5000), Reserved(5000), kNewId);
  EXPECT_EQ(ChangeOf(decided).next.payment.status, PaymentStatus::kCaptured);
  EXPECT_EQ(ChangeOf(decided).next.move, (BalanceMove{EntryKind::kCharge, 5000, 0}));
}

TEST(StockReserved, AFreeOrderIsCapturedWithAZeroCharge) {
  const auto decided = DecideOnStockReserved(std::nullopt, AccountWith(0), Reserved(0), kNewId);
  EXPECT_EQ(ChangeOf(decided).next.payment.status, PaymentStatus::kCaptured);
  EXPECT_EQ(ChangeOf(decided).next.move, (BalanceMove{EntryKind::kCharge, 0, 0}));
}

TEST(StockReserved, OneMinorUnitShortFailsWithInsufficientFundsAndLeavesTheBalance) {
  auto request = Reserved(5000);
  request.order_version = 4;
  const auto decided = DecideOnStockReserved(std::nullopt, AccountWith(4999), request, kNewId);
  const auto& change = ChangeOf(decided);
  const Payment& payment = change.next.payment;
  EXPECT_EQ(payment.status, PaymentStatus::kFailed);
  EXPECT_EQ(payment.reason, "insufficient_funds");
  EXPECT_EQ(payment.version, 1);
  EXPECT_EQ(change.next.move, std::nullopt);
  EXPECT_EQ(change.events, (std::vector<Event>{PaymentFailed{.order_id = kOrder,
                                                             .customer_id = kCustomer,
                                                             .payment_id = kNewId,
                                                             .amount_minor = 5000,
                                                             .currency = "RUB",
                                                             .order_version = 4,
                                                             .reason = "insufficient_funds",
                                                             .version = 1}}));
}

TEST(StockReserved, AnOrderInAnotherCurrencyFailsWithCurrencyMismatchEvenWithMoney) {
  const auto decided =
      DecideOnStockReserved(std::nullopt, AccountWith(1'000'000), Reserved(5000, "EUR"), kNewId);
  const auto& change = ChangeOf(decided);
  EXPECT_EQ(change.next.payment.status, PaymentStatus::kFailed);
  EXPECT_EQ(change.next.payment.reason, "currency_mismatch");
  EXPECT_EQ(change.next.payment.currency, "EUR");
  EXPECT_EQ(change.next.move, std::nullopt);
  ASSERT_EQ(change.events.size(), 1u);
  const auto* failed = std::get_if<PaymentFailed>(&change.events[0]);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->reason, "currency_mismatch");
  EXPECT_EQ(failed->currency, "EUR");
}

TEST(StockReserved, CurrencyMismatchWinsOverInsufficientFunds) {
  const auto decided = DecideOnStockReserved(std::nullopt, AccountWith(0), Reserved(5000, "USD"), kNewId);
  EXPECT_EQ(ChangeOf(decided).next.payment.reason, "currency_mismatch");
}

TEST(StockReserved, AnyExistingPaymentIsNeverChargedAgain) {
  for (const auto status :
       {PaymentStatus::kCaptured, PaymentStatus::kFailed, PaymentStatus::kRefunded, PaymentStatus::kVoided}) {
    const auto decided =
        DecideOnStockReserved(Existing(status), AccountWith(1'000'000), Reserved(5000), kNewId);
    EXPECT_TRUE(Unchanged(decided)) << ToString(status);
  }
}

TEST(OrderCancelled, BeforeAnyPaymentLeavesAVoidedTombstoneWithoutEvent) {
  const auto decided = DecideOnOrderCancelled(std::nullopt, AccountWith(8000), Cancelled(7000), kNewId);
  const auto& change = ChangeOf(decided);
  const Payment& payment = change.next.payment;
  EXPECT_EQ(payment.status, PaymentStatus::kVoided);
  EXPECT_EQ(payment.payment_id, kNewId);
  EXPECT_EQ(payment.order_id, kOrder);
  EXPECT_EQ(payment.customer_id, kCustomer);
  EXPECT_EQ(payment.amount_minor, 7000);
  EXPECT_EQ(payment.version, 1);
  EXPECT_EQ(payment.reason, "order_cancelled");
  EXPECT_EQ(payment.order_version, std::nullopt);
  EXPECT_EQ(change.next.move, std::nullopt);
  EXPECT_TRUE(change.events.empty());
}

TEST(OrderCancelled, AfterCaptureRefundsTheCapturedAmountAndEmitsPaymentRefunded) {
  // The refund is what was charged, whatever total the cancellation carries.
  const auto decided =
      DecideOnOrderCancelled(Existing(PaymentStatus::kCaptured), AccountWith(100), Cancelled(9999), kNewId);
  const auto& change = ChangeOf(decided);
  const Payment& payment = change.next.payment;
  EXPECT_EQ(payment.status, PaymentStatus::kRefunded);
  EXPECT_EQ(payment.payment_id, "11111111-2222-4333-8444-555555555555");
  EXPECT_EQ(payment.version, 2);
  EXPECT_EQ(payment.reason, "order_cancelled");
  EXPECT_EQ(change.next.move, (BalanceMove{EntryKind::kRefund, 5000, 5100}));
  EXPECT_EQ(change.events,
            (std::vector<Event>{PaymentRefunded{.order_id = kOrder,
                                                .customer_id = kCustomer,
                                                .payment_id = "11111111-2222-4333-8444-555555555555",
                                                .amount_minor = 5000,
                                                .currency = "RUB",
                                                .reason = "order_cancelled",
                                                .version = 2}}));
}

TEST(OrderCancelled, AFailedRefundedOrVoidedPaymentStaysAsItIs) {
  for (const auto status : {PaymentStatus::kFailed, PaymentStatus::kRefunded, PaymentStatus::kVoided}) {
    const auto decided = DecideOnOrderCancelled(Existing(status, status == PaymentStatus::kRefunded ? 2 : 1),
                                                AccountWith(100), Cancelled(), kNewId);
    ASSERT_TRUE(Unchanged(decided)) << ToString(status);
    EXPECT_FALSE(core::IfUnchanged(decided)->why.empty());
  }
}

TEST(StateMachine, CancelThenReserveChargesNothing) {
  const auto voided =
      ChangeOf(DecideOnOrderCancelled(std::nullopt, AccountWith(8000), Cancelled(), kNewId)).next.payment;
  const auto decided = DecideOnStockReserved(voided, AccountWith(8000), Reserved(5000), "other");
  EXPECT_TRUE(Unchanged(decided));
}

TEST(StateMachine, ReserveCancelCancelRefundsOnce) {
  auto captured =
      ChangeOf(DecideOnStockReserved(std::nullopt, AccountWith(8000), Reserved(5000), kNewId)).next.payment;
  const auto refunded =
      ChangeOf(DecideOnOrderCancelled(captured, AccountWith(3000), Cancelled(), "x")).next.payment;
  EXPECT_EQ(refunded.status, PaymentStatus::kRefunded);
  EXPECT_TRUE(Unchanged(DecideOnOrderCancelled(refunded, AccountWith(8000), Cancelled(), "y")));
  EXPECT_TRUE(Unchanged(DecideOnStockReserved(refunded, AccountWith(8000), Reserved(5000), "z")));
}

TEST(PaymentAccess, OperatorsReadAnyPaymentCustomersOnlyTheirOwn) {
  const Payment payment = Existing(PaymentStatus::kCaptured);
  EXPECT_TRUE(MayRead(payment, std::nullopt));
  EXPECT_TRUE(MayRead(payment, std::string(kCustomer)));
  EXPECT_FALSE(MayRead(payment, std::string("7f3e2d1c-0b9a-4887-a665-544332211000")));
}

}  // namespace
}  // namespace microstore::payment
