#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "payment/domain/account.hpp"
#include "payment/domain/payment.hpp"

namespace microstore::pg {
class Pool;
class Transaction;
}  // namespace microstore::pg

// The payment service's tables (migrations/0001_accounts_ledger_payments.sql). Every statement is
// parameterised; ids must be canonical UUIDs (core::CanonicalUuid). Functions taking a Transaction
// must be awaited while it is alive.
//
// Lock order, everywhere: the customer's account row, then the order's payment row. Every change of
// a balance or a payment holds both, so concurrent handlers of one customer are serialised and a
// decision is always taken on the latest committed state.
namespace microstore::payment {

// Creates the customer's account at balance 0 in `currency` unless it exists (concurrent callers:
// one creates, the others wait for it and find it).
boost::asio::awaitable<void> EnsureAccount(pg::Transaction& transaction, std::string customer_id,
                                           std::string currency);

// The account, locked (FOR UPDATE) until the transaction ends; nullopt when there is none.
boost::asio::awaitable<std::optional<Account>> LockAccount(pg::Transaction& transaction,
                                                           std::string customer_id);

// The account, created at balance 0 in `currency` unless it exists (EnsureAccount), locked.
boost::asio::awaitable<Account> LockAccountCreating(pg::Transaction& transaction, std::string customer_id,
                                                    std::string currency);

boost::asio::awaitable<std::optional<Account>> FindAccount(pg::Pool& pool, std::string customer_id);

// Sets the balance of `account` (read under lock) to `balance_minor`: version + 1, updated_at = now,
// and only if the stored version is still account.version (else std::runtime_error: retry).
boost::asio::awaitable<Account> SetBalance(pg::Transaction& transaction, const Account& account,
                                           std::int64_t balance_minor);

// Appends a ledger entry (id, customer_id, kind, amount, currency, order_id / idempotency_key and
// balance_after as given; created_at = now) and returns it as stored.
boost::asio::awaitable<LedgerEntry> AppendEntry(pg::Transaction& transaction, LedgerEntry entry);

// The customer's deposit recorded under `idempotency_key`, if any.
boost::asio::awaitable<std::optional<LedgerEntry>> FindDeposit(pg::Transaction& transaction,
                                                               std::string customer_id,
                                                               std::string idempotency_key);

// Up to `rows` entries of the customer, newest first, strictly older than `before` when given.
boost::asio::awaitable<std::vector<ListedEntry>> ListEntries(pg::Pool& pool, std::string customer_id,
                                                             std::optional<std::int64_t> before,
                                                             std::int64_t rows);

// The order's payment, locked (FOR UPDATE) until the transaction ends.
boost::asio::awaitable<std::optional<Payment>> LockPayment(pg::Transaction& transaction,
                                                           std::string order_id);
// The customer of the order's payment, without locking (to find which account to lock first).
boost::asio::awaitable<std::optional<std::string>> PaymentCustomer(pg::Transaction& transaction,
                                                                   std::string order_id);
// The payments of an order (at most one), for reading.
boost::asio::awaitable<std::vector<Payment>> FindPayments(pg::Pool& pool, std::string order_id);

// Inserts a new payment (created_at = updated_at = now) and returns it as stored. Throws
// pg::UniqueViolation when the order already has one.
boost::asio::awaitable<Payment> InsertPayment(pg::Transaction& transaction, const Payment& payment);
// Stores `payment`'s status, reason and version if the stored version is payment.version − 1
// (else std::runtime_error: retry); updated_at = now. Returns it as stored.
boost::asio::awaitable<Payment> UpdatePayment(pg::Transaction& transaction, const Payment& payment);

// The ledger's sums, read in one statement (one snapshot).
boost::asio::awaitable<LedgerTotals> ReadLedgerTotals(pg::Pool& pool);

}  // namespace microstore::payment
