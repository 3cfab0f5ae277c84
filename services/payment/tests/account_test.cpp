// Accounts, ledger entries, the ledger identity and deposit decisions.
#include "payment/domain/account.hpp"

#include <gtest/gtest.h>

#include "payment/domain/ids.hpp"

namespace microstore::payment {
namespace {

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
  EXPECT_EQ(EmptyAccount(kCustomer, "RUB"), (Account{.customer_id = kCustomer,
                                                     .balance_minor = 0,
                                                     .currency = "RUB",
                                                     .version = 0,
                                                     .updated_at = std::nullopt}));
}

TEST(EntryKind, NamesRoundTrip) {
  for (const auto kind : {EntryKind::kDeposit, EntryKind::kCharge, EntryKind::kRefund}) {
    EXPECT_EQ(ParseEntryKind(ToString(kind)), kind);
  }
  EXPECT_EQ(ToString(EntryKind::kCharge), "charge");
  EXPECT_EQ(ParseEntryKind("Deposit"), std::nullopt);
  EXPECT_EQ(ParseEntryKind("withdrawal"), std::nullopt);
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
}

TEST(Deposit, ANewKeyCreditsTheAccount) {
  const Account account{.customer_id = kCustomer, .balance_minor = 200, .currency = "RUB", .version = 2};
  EXPECT_EQ(DecideDeposit(account, std::nullopt, DepositRequest{500}),
            DepositDecision(deposit::Credit{500, 700}));
}

TEST(Deposit, TheSameKeyAndAmountReplaysTheFirstDeposit) {
  const Account account{.customer_id = kCustomer, .balance_minor = 700, .currency = "RUB", .version = 3};
  EXPECT_EQ(DecideDeposit(account, DepositOf(500, 700), DepositRequest{500}),
            DepositDecision(deposit::Replay{DepositOf(500, 700)}));
}

TEST(Deposit, TheSameKeyWithAnotherAmountIsRefused) {
  const Account account{.customer_id = kCustomer, .balance_minor = 700, .currency = "RUB", .version = 3};
  EXPECT_EQ(DecideDeposit(account, DepositOf(500, 700), DepositRequest{501}),
            DepositDecision(deposit::KeyReused{500}));
}

TEST(Deposit, TheBalanceNeverExceedsItsLimit) {
  Account account{
      .customer_id = kCustomer, .balance_minor = kMaxBalanceMinor - 10, .currency = "RUB", .version = 9};
  EXPECT_EQ(DecideDeposit(account, std::nullopt, DepositRequest{10}),
            DepositDecision(deposit::Credit{10, kMaxBalanceMinor}));
  EXPECT_EQ(DecideDeposit(account, std::nullopt, DepositRequest{11}),
            DepositDecision(deposit::BalanceLimit{}));
  account.balance_minor = kMaxBalanceMinor;
  EXPECT_EQ(DecideDeposit(account, std::nullopt, DepositRequest{kMaxDepositMinor}),
            DepositDecision(deposit::BalanceLimit{}));
}

TEST(Deposit, TheAccountsCurrencyMayBeNamedAnotherIsRefusedBeforeTheKeyIsJudged) {
  const Account account{.customer_id = kCustomer, .balance_minor = 700, .currency = "RUB", .version = 3};
  EXPECT_EQ(DecideDeposit(account, std::nullopt, DepositRequest{500, "RUB"}),
            DepositDecision(deposit::Credit{500, 1200}));
  EXPECT_EQ(DecideDeposit(account, std::nullopt, DepositRequest{500, "EUR"}),
            DepositDecision(deposit::OtherCurrency{"RUB"}));
  EXPECT_EQ(DecideDeposit(account, DepositOf(500, 700), DepositRequest{501, "EUR"}),
            DepositDecision(deposit::OtherCurrency{"RUB"}));
}

TEST(Ids, CurrencyCodesAreThreeUpperCaseLetters) {
  EXPECT_TRUE(IsCurrencyCode("RUB"));
  EXPECT_TRUE(IsCurrencyCode("EUR"));
  for (const char* bad : {"", "RU", "RUBL", "rub", "R1B", "RU ", "РУБ"})
    EXPECT_FALSE(IsCurrencyCode(bad)) << bad;
}

}  // namespace
}  // namespace microstore::payment
