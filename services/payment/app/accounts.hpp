#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "payment/app/settings.hpp"
#include "payment/domain/account.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// Accounts and their ledger: what customers and operators read, the deposits customers make,
// and the account a registration opens. Ids must be canonical UUIDs (core::CanonicalUuid).
namespace microstore::payment {

// The customer's account; one at balance 0 in settings.currency (version 0, not stored: reading
// creates nothing) when nothing was stored for them yet.
boost::asio::awaitable<Account> MyAccount(pg::Pool& db, const Settings& settings, std::string customer_id);

// Any customer's account, for operators; nullopt when none is stored.
boost::asio::awaitable<std::optional<Account>> GetAccount(pg::Pool& db, std::string customer_id);

// The deposit as stored: a new one, or the one recorded before under the same key (`replayed`:
// nothing was credited this time).
struct Deposited {
  LedgerEntry deposit{};
  bool replayed = false;
};
using DepositOutcome =
    std::variant<Deposited, deposit::KeyReused, deposit::BalanceLimit, deposit::OtherCurrency>;

// Credits `wanted` to the customer's account (created at balance 0 in settings.currency when
// missing), once per idempotency key: the same key again answers the first deposit. One
// transaction; the account row lock serialises a customer's deposits, and a concurrent first
// deposit or first use of a key (a unique violation) is retried, up to three attempts. A refusal
// stores nothing, not even the account.
boost::asio::awaitable<DepositOutcome> Deposit(pg::Pool& db, const Settings& settings,
                                               std::string customer_id, std::string idempotency_key,
                                               DepositRequest wanted);

// Up to query.limit + 1 entries of the customer's ledger, newest first, strictly older than
// query.before: an entry beyond the limit only says that a next page exists (http::PageBody).
boost::asio::awaitable<std::vector<ListedEntry>> ListTransactions(pg::Pool& db, std::string customer_id,
                                                                  PageQuery query);

// The ledger's sums over every account, in one snapshot.
boost::asio::awaitable<LedgerTotals> GetLedger(pg::Pool& db);

// identity UserRegistered: an account at balance 0 for a customer (nothing if it exists); staff
// hold no account. In the inbox's transaction.
boost::asio::awaitable<void> OnUserRegistered(pg::Transaction& transaction, const Settings& settings,
                                              Registration registration);

}  // namespace microstore::payment
