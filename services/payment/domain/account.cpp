#include "payment/domain/account.hpp"

namespace microstore::payment {

Account EmptyAccount(std::string customer_id, std::string currency) {
  return {.customer_id = std::move(customer_id), .balance_minor = 0, .currency = std::move(currency)};
}

nlohmann::json ToJson(const Account& account) {
  return {{"customer_id", account.customer_id},
          {"balance_minor", account.balance_minor},
          {"currency", account.currency},
          {"version", account.version},
          {"updated_at", account.updated_at ? nlohmann::json(*account.updated_at) : nlohmann::json(nullptr)}};
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

nlohmann::json ToJson(const LedgerEntry& entry) {
  return {{"id", entry.id},
          {"kind", ToString(entry.kind)},
          {"amount_minor", entry.amount_minor},
          {"currency", entry.currency},
          {"order_id", entry.order_id ? nlohmann::json(*entry.order_id) : nlohmann::json(nullptr)},
          {"balance_after_minor", entry.balance_after_minor},
          {"created_at", entry.created_at}};
}

nlohmann::json DepositJson(const LedgerEntry& deposit) {
  return {{"id", deposit.id},
          {"amount_minor", deposit.amount_minor},
          {"currency", deposit.currency},
          {"created_at", deposit.created_at}};
}

bool LedgerTotals::Balanced() const {
  return deposits_minor == balances_minor + captured_minor - refunded_minor;
}

nlohmann::json ToJson(const LedgerTotals& totals) {
  return {{"deposits_minor", totals.deposits_minor},
          {"balances_minor", totals.balances_minor},
          {"captured_minor", totals.captured_minor},
          {"refunded_minor", totals.refunded_minor},
          {"accounts", totals.accounts}};
}

DepositDecision DecideDeposit(const Account& account, const std::optional<LedgerEntry>& same_key,
                              std::int64_t amount_minor) {
  if (same_key) {
    if (same_key->amount_minor == amount_minor) return deposit::Replay{*same_key};
    return deposit::KeyReused{same_key->amount_minor};
  }
  if (account.balance_minor > kMaxBalanceMinor - amount_minor) return deposit::BalanceLimit{};
  return deposit::Credit{amount_minor, account.balance_minor + amount_minor};
}

}  // namespace microstore::payment
