#include "payment/domain/account.hpp"

#include <utility>

namespace microstore::payment {

Account EmptyAccount(std::string customer_id, std::string currency) {
  return {.customer_id = std::move(customer_id), .balance_minor = 0, .currency = std::move(currency)};
}

std::string_view ToString(EntryKind kind) {
  switch (kind) {
    case EntryKind::kDeposit:
      return "deposit";
    case EntryKind::kCharge:
      return "charge";
    case EntryKind::kRefund:
      return "refund";
  }
  return "deposit";
}

std::optional<EntryKind> ParseEntryKind(std::string_view text) {
  for (const EntryKind kind : {EntryKind::kDeposit, EntryKind::kCharge, EntryKind::kRefund}) {
    if (ToString(kind) == text) return kind;
  }
  return std::nullopt;
}

bool LedgerTotals::Balanced() const {
  return deposits_minor == balances_minor + captured_minor - refunded_minor;
}

DepositDecision DecideDeposit(const Account& account, const std::optional<LedgerEntry>& same_key,
                              const DepositRequest& wanted) {
  if (wanted.currency && *wanted.currency != account.currency)
    return deposit::OtherCurrency{account.currency};
  const std::int64_t amount_minor = wanted.amount_minor;
  if (same_key) {
    if (same_key->amount_minor == amount_minor) return deposit::Replay{*same_key};
    return deposit::KeyReused{same_key->amount_minor};
  }
  if (account.balance_minor > kMaxBalanceMinor - amount_minor) return deposit::BalanceLimit{};
  return deposit::Credit{amount_minor, account.balance_minor + amount_minor};
}

}  // namespace microstore::payment
