// The payment state machine: every status × every input, and the events it emits.
#include "payment/domain/payment.hpp"

#include <gtest/gtest.h>

namespace microstore::payment {
namespace {

using nlohmann::json;

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

const decision::Change& ChangeOf(const PaymentDecision& decided) {
  EXPECT_TRUE(std::holds_alternative<decision::Change>(decided));
  return std::get<decision::Change>(decided);
}

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
  EXPECT_TRUE(change.created);
  EXPECT_EQ(change.payment.status, PaymentStatus::kCaptured);
  EXPECT_EQ(change.payment.payment_id, kNewId);
  EXPECT_EQ(change.payment.order_id, kOrder);
  EXPECT_EQ(change.payment.customer_id, kCustomer);
  EXPECT_EQ(change.payment.amount_minor, 5000);
  EXPECT_EQ(change.payment.currency, "RUB");
  EXPECT_EQ(change.payment.version, 1);
  EXPECT_EQ(change.payment.order_version, 1);
  EXPECT_EQ(change.payment.reason, std::nullopt);
  EXPECT_EQ(change.move, (BalanceMove{EntryKind::kCharge, 5000, 3000}));
  ASSERT_TRUE(change.event);
  EXPECT_EQ(change.event->type, "PaymentSucceeded");
  EXPECT_EQ(change.event->aggregate, (messaging::AggregateRef{"payment", kOrder, 1, "CAPTURED"}));
  EXPECT_EQ(change.event->payload, (json{{"order_id", kOrder},
                                         {"customer_id", kCustomer},
                                         {"payment_id", kNewId},
                                         {"amount_minor", 5000},
                                         {"currency", "RUB"},
                                         {"order_version", 1}}));
}

TEST(StockReserved, TheExactBalanceIsEnoughAndLeavesZero) {
  const auto decided = DecideOnStockReserved(std::nullopt, AccountWith(5000), Reserved(5000), kNewId);
  EXPECT_EQ(ChangeOf(decided).payment.status, PaymentStatus::kCaptured);
  EXPECT_EQ(ChangeOf(decided).move, (BalanceMove{EntryKind::kCharge, 5000, 0}));
}

TEST(StockReserved, AFreeOrderIsCapturedWithAZeroCharge) {
  const auto decided = DecideOnStockReserved(std::nullopt, AccountWith(0), Reserved(0), kNewId);
  EXPECT_EQ(ChangeOf(decided).payment.status, PaymentStatus::kCaptured);
  EXPECT_EQ(ChangeOf(decided).move, (BalanceMove{EntryKind::kCharge, 0, 0}));
}

TEST(StockReserved, OneMinorUnitShortFailsWithInsufficientFundsAndLeavesTheBalance) {
  auto request = Reserved(5000);
  request.order_version = 4;
  const auto decided = DecideOnStockReserved(std::nullopt, AccountWith(4999), request, kNewId);
  const auto& change = ChangeOf(decided);
  EXPECT_TRUE(change.created);
  EXPECT_EQ(change.payment.status, PaymentStatus::kFailed);
  EXPECT_EQ(change.payment.reason, "insufficient_funds");
  EXPECT_EQ(change.payment.version, 1);
  EXPECT_EQ(change.move, std::nullopt);
  ASSERT_TRUE(change.event);
  EXPECT_EQ(change.event->type, "PaymentFailed");
  EXPECT_EQ(change.event->aggregate, (messaging::AggregateRef{"payment", kOrder, 1, "FAILED"}));
  EXPECT_EQ(change.event->payload, (json{{"order_id", kOrder},
                                         {"customer_id", kCustomer},
                                         {"payment_id", kNewId},
                                         {"amount_minor", 5000},
                                         {"currency", "RUB"},
                                         {"order_version", 4},
                                         {"reason", "insufficient_funds"}}));
}

TEST(StockReserved, AnOrderInAnotherCurrencyFailsWithCurrencyMismatchEvenWithMoney) {
  const auto decided =
      DecideOnStockReserved(std::nullopt, AccountWith(1'000'000), Reserved(5000, "EUR"), kNewId);
  const auto& change = ChangeOf(decided);
  EXPECT_EQ(change.payment.status, PaymentStatus::kFailed);
  EXPECT_EQ(change.payment.reason, "currency_mismatch");
  EXPECT_EQ(change.payment.currency, "EUR");
  EXPECT_EQ(change.move, std::nullopt);
  ASSERT_TRUE(change.event);
  EXPECT_EQ(change.event->type, "PaymentFailed");
  EXPECT_EQ(change.event->payload["reason"], "currency_mismatch");
  EXPECT_EQ(change.event->payload["currency"], "EUR");
}

TEST(StockReserved, CurrencyMismatchWinsOverInsufficientFunds) {
  const auto decided = DecideOnStockReserved(std::nullopt, AccountWith(0), Reserved(5000, "USD"), kNewId);
  EXPECT_EQ(ChangeOf(decided).payment.reason, "currency_mismatch");
}

TEST(StockReserved, AnyExistingPaymentIsNeverChargedAgain) {
  for (const auto status :
       {PaymentStatus::kCaptured, PaymentStatus::kFailed, PaymentStatus::kRefunded, PaymentStatus::kVoided}) {
    const auto decided =
        DecideOnStockReserved(Existing(status), AccountWith(1'000'000), Reserved(5000), kNewId);
    EXPECT_TRUE(std::holds_alternative<decision::Unchanged>(decided)) << ToString(status);
  }
}

TEST(OrderCancelled, BeforeAnyPaymentLeavesAVoidedTombstoneWithoutEvent) {
  const auto decided = DecideOnOrderCancelled(std::nullopt, AccountWith(8000), Cancelled(7000), kNewId);
  const auto& change = ChangeOf(decided);
  EXPECT_TRUE(change.created);
  EXPECT_EQ(change.payment.status, PaymentStatus::kVoided);
  EXPECT_EQ(change.payment.payment_id, kNewId);
  EXPECT_EQ(change.payment.order_id, kOrder);
  EXPECT_EQ(change.payment.customer_id, kCustomer);
  EXPECT_EQ(change.payment.amount_minor, 7000);
  EXPECT_EQ(change.payment.version, 1);
  EXPECT_EQ(change.payment.reason, "order_cancelled");
  EXPECT_EQ(change.payment.order_version, std::nullopt);
  EXPECT_EQ(change.move, std::nullopt);
  EXPECT_EQ(change.event, std::nullopt);
}

TEST(OrderCancelled, AfterCaptureRefundsTheCapturedAmountAndEmitsPaymentRefunded) {
  // The refund is what was charged, whatever total the cancellation carries.
  const auto decided =
      DecideOnOrderCancelled(Existing(PaymentStatus::kCaptured), AccountWith(100), Cancelled(9999), kNewId);
  const auto& change = ChangeOf(decided);
  EXPECT_FALSE(change.created);
  EXPECT_EQ(change.payment.status, PaymentStatus::kRefunded);
  EXPECT_EQ(change.payment.payment_id, "11111111-2222-4333-8444-555555555555");
  EXPECT_EQ(change.payment.version, 2);
  EXPECT_EQ(change.payment.reason, "order_cancelled");
  EXPECT_EQ(change.move, (BalanceMove{EntryKind::kRefund, 5000, 5100}));
  ASSERT_TRUE(change.event);
  EXPECT_EQ(change.event->type, "PaymentRefunded");
  EXPECT_EQ(change.event->aggregate, (messaging::AggregateRef{"payment", kOrder, 2, "REFUNDED"}));
  EXPECT_EQ(change.event->payload, (json{{"order_id", kOrder},
                                         {"customer_id", kCustomer},
                                         {"payment_id", "11111111-2222-4333-8444-555555555555"},
                                         {"amount_minor", 5000},
                                         {"currency", "RUB"},
                                         {"reason", "order_cancelled"}}));
}

TEST(OrderCancelled, AFailedRefundedOrVoidedPaymentStaysAsItIs) {
  for (const auto status : {PaymentStatus::kFailed, PaymentStatus::kRefunded, PaymentStatus::kVoided}) {
    const auto decided = DecideOnOrderCancelled(Existing(status, status == PaymentStatus::kRefunded ? 2 : 1),
                                                AccountWith(100), Cancelled(), kNewId);
    ASSERT_TRUE(std::holds_alternative<decision::Unchanged>(decided)) << ToString(status);
    EXPECT_FALSE(std::get<decision::Unchanged>(decided).why.empty());
  }
}

TEST(StateMachine, CancelThenReserveChargesNothing) {
  const auto voided =
      ChangeOf(DecideOnOrderCancelled(std::nullopt, AccountWith(8000), Cancelled(), kNewId)).payment;
  const auto decided = DecideOnStockReserved(voided, AccountWith(8000), Reserved(5000), "other");
  EXPECT_TRUE(std::holds_alternative<decision::Unchanged>(decided));
}

TEST(StateMachine, ReserveCancelCancelRefundsOnce) {
  auto captured =
      ChangeOf(DecideOnStockReserved(std::nullopt, AccountWith(8000), Reserved(5000), kNewId)).payment;
  const auto refunded =
      ChangeOf(DecideOnOrderCancelled(captured, AccountWith(3000), Cancelled(), "x")).payment;
  EXPECT_EQ(refunded.status, PaymentStatus::kRefunded);
  EXPECT_TRUE(std::holds_alternative<decision::Unchanged>(
      DecideOnOrderCancelled(refunded, AccountWith(8000), Cancelled(), "y")));
  EXPECT_TRUE(std::holds_alternative<decision::Unchanged>(
      DecideOnStockReserved(refunded, AccountWith(8000), Reserved(5000), "z")));
}

TEST(PaymentJson, HasThePublicFields) {
  Payment payment = Existing(PaymentStatus::kFailed);
  payment.reason = "insufficient_funds";
  EXPECT_EQ(ToJson(payment), (json{{"payment_id", "11111111-2222-4333-8444-555555555555"},
                                   {"order_id", kOrder},
                                   {"status", "FAILED"},
                                   {"amount_minor", 5000},
                                   {"currency", "RUB"},
                                   {"reason", "insufficient_funds"},
                                   {"version", 1},
                                   {"created_at", "2026-01-01T00:00:00.000Z"},
                                   {"updated_at", "2026-01-01T00:00:00.000Z"}}));
  EXPECT_TRUE(ToJson(Existing(PaymentStatus::kCaptured))["reason"].is_null());
}

}  // namespace
}  // namespace microstore::payment
