#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

// A customer's billing account and its append-only ledger.
//
// Every change of a balance writes one ledger entry in the same transaction: a deposit (+), a
// charge (−, for an order) or a refund (+, of a charge). So at all times (R16)
//   sum(deposits) = sum(balances) + sum(charges) − sum(refunds).
namespace microstore::payment {

// One deposit: 1 minor unit up to 100 000 000.00.
inline constexpr std::int64_t kMinDepositMinor = 1;
inline constexpr std::int64_t kMaxDepositMinor = 10'000'000'000;
// A balance never exceeds this (10^15 minor units), so sums over many accounts stay far below
// the range of a 64-bit integer.
inline constexpr std::int64_t kMaxBalanceMinor = 1'000'000'000'000'000;

struct Account {
  std::string customer_id{};  // = the identity user id (the JWT subject)
  std::int64_t balance_minor = 0;
  std::string currency{};
  std::int64_t version = 0;                 // 0: not stored yet (no deposit, charge or registration)
  std::optional<std::string> updated_at{};  // RFC 3339 UTC ms; nullopt while not stored

  bool operator==(const Account&) const = default;
};

// The account a customer has before anything was stored for them: balance 0.
Account EmptyAccount(std::string customer_id, std::string currency);

// identity's UserRegistered: a customer gets an account (staff get none).
struct Registration {
  std::string user_id{};
  bool customer = false;  // roles include CUSTOMER

  bool operator==(const Registration&) const = default;
};

enum class EntryKind { kDeposit, kCharge, kRefund };
// "deposit", "charge", "refund" (the stored and the public name).
std::string_view ToString(EntryKind kind);
std::optional<EntryKind> ParseEntryKind(std::string_view text);

struct LedgerEntry {
  std::string id{};  // UUID; a deposit's id
  std::string customer_id{};
  EntryKind kind = EntryKind::kDeposit;
  std::int64_t amount_minor = 0;  // ≥ 0: the direction is the kind's
  std::string currency{};
  std::optional<std::string> order_id{};         // charges and refunds
  std::optional<std::string> idempotency_key{};  // deposits
  std::int64_t balance_after_minor = 0;
  std::string created_at{};

  bool operator==(const LedgerEntry&) const = default;
};

// An entry and its position in the ledger (later entries have higher positions).
struct ListedEntry {
  LedgerEntry entry{};
  std::int64_t position = 0;

  bool operator==(const ListedEntry&) const = default;
};

// A page of a customer's ledger, newest first: up to `limit` entries strictly older than
// `before`, the position of the last entry of the previous page.
struct PageQuery {
  std::int64_t limit = 0;
  std::optional<std::int64_t> before{};

  bool operator==(const PageQuery&) const = default;
};

// The sums the operator's ledger shows. `deposits`, `captured` (charges) and `refunded` are summed
// over the ledger, `balances` over the accounts, independently.
struct LedgerTotals {
  std::int64_t deposits_minor = 0;
  std::int64_t balances_minor = 0;
  std::int64_t captured_minor = 0;
  std::int64_t refunded_minor = 0;
  std::int64_t accounts = 0;

  // deposits = balances + captured − refunded: no money was created or lost.
  bool Balanced() const;
};

// A customer's deposit: kMinDepositMinor..kMaxDepositMinor minor units, in the account's currency
// (which `currency`, when given, must name).
struct DepositRequest {
  std::int64_t amount_minor = 0;
  std::optional<std::string> currency{};

  bool operator==(const DepositRequest&) const = default;
};

// What a deposit request becomes, given the account (locked) and the deposit already recorded
// under the same idempotency key, if any.
namespace deposit {
// Credit the account: a new ledger entry with this balance after it.
struct Credit {
  std::int64_t amount_minor = 0;
  std::int64_t balance_after_minor = 0;
  bool operator==(const Credit&) const = default;
};
// The key was used before for the same amount: answer that deposit again, credit nothing.
struct Replay {
  LedgerEntry deposit{};
  bool operator==(const Replay&) const = default;
};
// The key was used before for another amount: refuse (the client reused a key by mistake).
struct KeyReused {
  std::int64_t original_amount_minor = 0;
  bool operator==(const KeyReused&) const = default;
};
// The balance would exceed kMaxBalanceMinor: refuse.
struct BalanceLimit {
  bool operator==(const BalanceLimit&) const = default;
};
// The request names a currency that is not the account's: refuse.
struct OtherCurrency {
  std::string account_currency{};
  bool operator==(const OtherCurrency&) const = default;
};
}  // namespace deposit
using DepositDecision = std::variant<deposit::Credit, deposit::Replay, deposit::KeyReused,
                                     deposit::BalanceLimit, deposit::OtherCurrency>;

// `wanted.amount_minor` must be within kMinDepositMinor..kMaxDepositMinor (validated before). The
// currency is judged first: a request in another currency is refused whatever its key.
DepositDecision DecideDeposit(const Account& account, const std::optional<LedgerEntry>& same_key,
                              const DepositRequest& wanted);

}  // namespace microstore::payment
