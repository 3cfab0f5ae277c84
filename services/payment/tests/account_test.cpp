// Accounts, ledger entries, the ledger identity and deposit decisions.
#include "payment/domain/account.hpp"

#include <gtest/gtest.h>

#include "payment/domain/ids.hpp"

namespace microstore::payment {
namespace {

using nlohmann::json;

constexpr const char* kCustomer = "5a1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

LedgerEntry DepositOf(std::int64_t amount, std::int64_t balance_after) {
  return {.id = "0b6e1b4e-6c1f-4d43-9d5e-2f4b8c1a7e01",
          .customer_id = kCustomer,
          .kind = EntryKind::kDeposit,
          .amount_minor = amount,
          .currency = "RUB",
          .idempotency_key = "key-1",
          .balance_after_minor = balance_after,
          .created_at = "2026-01-01T00:00:00.000Z"};
}

TEST(Account, AnEmptyAccountIsAtZeroAndNotStored) {
  const Account account = EmptyAccount(kCustomer, "RUB");
  EXPECT_EQ(ToJson(account), (json{{"customer_id", kCustomer},
                                   {"balance_minor", 0},
                                   {"currency", "RUB"},
                                   {"version", 0},
                                   {"updated_at", nullptr}}));
}

TEST(Account, AStoredAccountShowsItsVersionAndTime) {
  const Account account{.customer_id = kCustomer,
                        .balance_minor = 12990,
                        .currency = "RUB",
                        .version = 4,
                        .updated_at = "2026-11-23T10:00:00.123Z"};
  EXPECT_EQ(ToJson(account), (json{{"customer_id", kCustomer},
                                   {"balance_minor", 12990},
                                   {"currency", "RUB"},
                                   {"version", 4},
                                   {"updated_at", "2026-11-23T10:00:00.123Z"}}));
}

TEST(EntryKind, NamesRoundTrip) {
  for (const auto kind : {EntryKind::kDeposit, EntryKind::kCharge, EntryKind::kRefund}) {
    EXPECT_EQ(ParseEntryKind(ToString(kind)), kind);
  }
  EXPECT_EQ(ToString(EntryKind::kCharge), "charge");
  EXPECT_EQ(ParseEntryKind("Deposit"), std::nullopt);
  EXPECT_EQ(ParseEntryKind("withdrawal"), std::nullopt);
}

TEST(LedgerEntry, JsonShowsTheOrderOfChargesAndNullForDeposits) {
  EXPECT_EQ(ToJson(DepositOf(500, 700)), (json{{"id", "0b6e1b4e-6c1f-4d43-9d5e-2f4b8c1a7e01"},
                                               {"kind", "deposit"},
                                               {"amount_minor", 500},
                                               {"currency", "RUB"},
                                               {"order_id", nullptr},
                                               {"balance_after_minor", 700},
                                               {"created_at", "2026-01-01T00:00:00.000Z"}}));
  LedgerEntry charge = DepositOf(300, 400);
  charge.kind = EntryKind::kCharge;
  charge.idempotency_key.reset();
  charge.order_id = "7f3e2d1c-0b9a-4887-a665-544332211000";
  EXPECT_EQ(ToJson(charge)["order_id"], "7f3e2d1c-0b9a-4887-a665-544332211000");
  EXPECT_EQ(ToJson(charge)["kind"], "charge");
  EXPECT_EQ(DepositJson(DepositOf(500, 700)), (json{{"id", "0b6e1b4e-6c1f-4d43-9d5e-2f4b8c1a7e01"},
                                                    {"amount_minor", 500},
                                                    {"currency", "RUB"},
                                                    {"created_at", "2026-01-01T00:00:00.000Z"}}));
}

TEST(LedgerTotals, BalancedWhenDepositsEqualBalancesPlusCapturedMinusRefunded) {
  EXPECT_TRUE((LedgerTotals{}).Balanced());
  EXPECT_TRUE((LedgerTotals{.deposits_minor = 1000,
                            .balances_minor = 700,
                            .captured_minor = 500,
                            .refunded_minor = 200,
                            .accounts = 2})
                  .Balanced());
  EXPECT_FALSE((LedgerTotals{.deposits_minor = 1000,
                             .balances_minor = 700,
                             .captured_minor = 500,
                             .refunded_minor = 0,
                             .accounts = 2})
                   .Balanced());
  EXPECT_EQ(
      ToJson(LedgerTotals{
          .deposits_minor = 1, .balances_minor = 2, .captured_minor = 3, .refunded_minor = 4, .accounts = 5}),
      (json{{"deposits_minor", 1},
            {"balances_minor", 2},
            {"captured_minor", 3},
            {"refunded_minor", 4},
            {"accounts", 5}}));
}

TEST(Deposit, ANewKeyCreditsTheAccount) {
  const Account account{.customer_id = kCustomer, .balance_minor = 200, .currency = "RUB", .version = 2};
  EXPECT_EQ(DecideDeposit(account, std::nullopt, 500), DepositDecision(deposit::Credit{500, 700}));
}

TEST(Deposit, TheSameKeyAndAmountReplaysTheFirstDeposit) {
  const Account account{.customer_id = kCustomer, .balance_minor = 700, .currency = "RUB", .version = 3};
  EXPECT_EQ(DecideDeposit(account, DepositOf(500, 700), 500),
            DepositDecision(deposit::Replay{DepositOf(500, 700)}));
}

TEST(Deposit, TheSameKeyWithAnotherAmountIsRefused) {
  const Account account{.customer_id = kCustomer, .balance_minor = 700, .currency = "RUB", .version = 3};
  EXPECT_EQ(DecideDeposit(account, DepositOf(500, 700), 501), DepositDecision(deposit::KeyReused{500}));
}

TEST(Deposit, TheBalanceNeverExceedsItsLimit) {
  Account account{
      .customer_id = kCustomer, .balance_minor = kMaxBalanceMinor - 10, .currency = "RUB", .version = 9};
  EXPECT_EQ(DecideDeposit(account, std::nullopt, 10), DepositDecision(deposit::Credit{10, kMaxBalanceMinor}));
  EXPECT_EQ(DecideDeposit(account, std::nullopt, 11), DepositDecision(deposit::BalanceLimit{}));
  account.balance_minor = kMaxBalanceMinor;
  EXPECT_EQ(DecideDeposit(account, std::nullopt, kMaxDepositMinor), DepositDecision(deposit::BalanceLimit{}));
}

TEST(Ids, CurrencyCodesAreThreeUpperCaseLetters) {
  EXPECT_TRUE(IsCurrencyCode("RUB"));
  EXPECT_TRUE(IsCurrencyCode("EUR"));
  for (const char* bad : {"", "RU", "RUBL", "rub", "R1B", "RU ", "РУБ"})
    EXPECT_FALSE(IsCurrencyCode(bad)) << bad;
}

}  // namespace
}  // namespace microstore::payment
