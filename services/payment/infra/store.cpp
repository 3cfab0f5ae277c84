#include "payment/infra/store.hpp"

#include <stdexcept>

#include "platform/pg/pool.hpp"

namespace microstore::payment {
namespace {

// Column lists as string literals (concatenated at compile time); times as RFC 3339 UTC with ms.
#define MICROSTORE_PAYMENT_TIME(column) \
  "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

constexpr const char* kAccountColumns =
    "customer_id::text, balance_minor, currency, version, " MICROSTORE_PAYMENT_TIME("updated_at");

constexpr const char* kEntryColumns =
    "id::text, customer_id::text, kind, amount_minor, currency, order_id::text, idempotency_key, "
    "balance_after_minor, " MICROSTORE_PAYMENT_TIME("created_at") ", seq";
constexpr int kEntrySeqColumn = 9;  // the position of an entry in kEntryColumns, for cursors

constexpr const char* kPaymentColumns =
    "payment_id::text, order_id::text, customer_id::text, status, amount_minor, currency, reason, "
    "order_version, version, " MICROSTORE_PAYMENT_TIME("created_at") ", " MICROSTORE_PAYMENT_TIME(
        "updated_at");

#undef MICROSTORE_PAYMENT_TIME

Account ReadAccount(const pg::Result& result, int row) {
  return {.customer_id = result.Get<std::string>(row, 0),
          .balance_minor = result.Get<std::int64_t>(row, 1),
          .currency = result.Get<std::string>(row, 2),
          .version = result.Get<std::int64_t>(row, 3),
          .updated_at = result.Get<std::string>(row, 4)};
}

LedgerEntry ReadEntry(const pg::Result& result, int row) {
  const auto kind = ParseEntryKind(result.Get<std::string_view>(row, 2));
  if (!kind) throw std::runtime_error("ledger entry of an unknown kind");
  return {.id = result.Get<std::string>(row, 0),
          .customer_id = result.Get<std::string>(row, 1),
          .kind = *kind,
          .amount_minor = result.Get<std::int64_t>(row, 3),
          .currency = result.Get<std::string>(row, 4),
          .order_id = result.Get<std::optional<std::string>>(row, 5),
          .idempotency_key = result.Get<std::optional<std::string>>(row, 6),
          .balance_after_minor = result.Get<std::int64_t>(row, 7),
          .created_at = result.Get<std::string>(row, 8)};
}

Payment ReadPayment(const pg::Result& result, int row) {
  const auto status = ParsePaymentStatus(result.Get<std::string_view>(row, 3));
  if (!status) throw std::runtime_error("payment of an unknown status");
  return {.payment_id = result.Get<std::string>(row, 0),
          .order_id = result.Get<std::string>(row, 1),
          .customer_id = result.Get<std::string>(row, 2),
          .status = *status,
          .amount_minor = result.Get<std::int64_t>(row, 4),
          .currency = result.Get<std::string>(row, 5),
          .reason = result.Get<std::optional<std::string>>(row, 6),
          .order_version = result.Get<std::optional<std::int64_t>>(row, 7),
          .version = result.Get<std::int64_t>(row, 8),
          .created_at = result.Get<std::string>(row, 9),
          .updated_at = result.Get<std::string>(row, 10)};
}

std::optional<Account> FirstAccount(const pg::Result& result) {
  if (result.Empty()) return std::nullopt;
  return ReadAccount(result, 0);
}

std::optional<Payment> FirstPayment(const pg::Result& result) {
  if (result.Empty()) return std::nullopt;
  return ReadPayment(result, 0);
}

}  // namespace

boost::asio::awaitable<void> EnsureAccount(pg::Transaction& transaction, std::string customer_id,
                                           std::string currency) {
  co_await transaction.Query(
      "INSERT INTO accounts (customer_id, currency) VALUES ($1::uuid, $2) "
      "ON CONFLICT (customer_id) DO NOTHING",
      customer_id, currency);
}

boost::asio::awaitable<std::optional<Account>> LockAccount(pg::Transaction& transaction,
                                                           std::string customer_id) {
  auto result = co_await transaction.Query(
      std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE customer_id = $1::uuid FOR UPDATE",
      customer_id);
  co_return FirstAccount(result);
}

boost::asio::awaitable<Account> LockAccountCreating(pg::Transaction& transaction, std::string customer_id,
                                                    std::string currency) {
  co_await EnsureAccount(transaction, customer_id, std::move(currency));
  std::optional<Account> account = co_await LockAccount(transaction, customer_id);
  if (!account) throw std::runtime_error("the account " + customer_id + " vanished");
  co_return std::move(*account);
}

boost::asio::awaitable<std::optional<Account>> FindAccount(pg::Pool& pool, std::string customer_id) {
  auto result = co_await pool.Query(
      std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE customer_id = $1::uuid", customer_id);
  co_return FirstAccount(result);
}

boost::asio::awaitable<Account> SetBalance(pg::Transaction& transaction, const Account& account,
                                           std::int64_t balance_minor) {
  auto result = co_await transaction.Query(
      std::string("UPDATE accounts SET balance_minor = $2::bigint, version = version + 1, updated_at = now() "
                  "WHERE customer_id = $1::uuid AND version = $3::bigint RETURNING ") +
          kAccountColumns,
      account.customer_id, balance_minor, account.version);
  if (result.Empty()) throw std::runtime_error("the account changed concurrently; retrying");
  co_return ReadAccount(result, 0);
}

boost::asio::awaitable<LedgerEntry> AppendEntry(pg::Transaction& transaction, LedgerEntry entry) {
  auto result = co_await transaction.Query(
      std::string("INSERT INTO ledger_entries (id, customer_id, kind, amount_minor, currency, order_id, "
                  "idempotency_key, balance_after_minor) "
                  "VALUES ($1::uuid, $2::uuid, $3, $4::bigint, $5, $6::uuid, $7, $8::bigint) RETURNING ") +
          kEntryColumns,
      entry.id, entry.customer_id, ToString(entry.kind), entry.amount_minor, entry.currency, entry.order_id,
      entry.idempotency_key, entry.balance_after_minor);
  co_return ReadEntry(result, 0);
}

boost::asio::awaitable<std::optional<LedgerEntry>> FindDeposit(pg::Transaction& transaction,
                                                               std::string customer_id,
                                                               std::string idempotency_key) {
  auto result = co_await transaction.Query(
      std::string("SELECT ") + kEntryColumns +
          " FROM ledger_entries WHERE customer_id = $1::uuid AND kind = 'deposit' AND idempotency_key = $2",
      customer_id, idempotency_key);
  if (result.Empty()) co_return std::nullopt;
  co_return ReadEntry(result, 0);
}

boost::asio::awaitable<std::vector<ListedEntry>> ListEntries(pg::Pool& pool, std::string customer_id,
                                                             std::optional<std::int64_t> before,
                                                             std::int64_t rows) {
  auto result = co_await pool.Query(
      std::string("SELECT ") + kEntryColumns +
          " FROM ledger_entries WHERE customer_id = $1::uuid AND ($2::bigint IS NULL OR seq < $2::bigint) "
          "ORDER BY seq DESC LIMIT $3::bigint",
      customer_id, before, rows);
  std::vector<ListedEntry> entries;
  entries.reserve(static_cast<std::size_t>(result.Rows()));
  for (int row = 0; row < result.Rows(); ++row) {
    entries.push_back({ReadEntry(result, row), result.Get<std::int64_t>(row, kEntrySeqColumn)});
  }
  co_return entries;
}

boost::asio::awaitable<std::optional<Payment>> LockPayment(pg::Transaction& transaction,
                                                           std::string order_id) {
  auto result = co_await transaction.Query(
      std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE order_id = $1::uuid FOR UPDATE",
      order_id);
  co_return FirstPayment(result);
}

boost::asio::awaitable<std::optional<std::string>> PaymentCustomer(pg::Transaction& transaction,
                                                                   std::string order_id) {
  auto result = co_await transaction.Query("SELECT customer_id::text FROM payments WHERE order_id = $1::uuid",
                                           order_id);
  if (result.Empty()) co_return std::nullopt;
  co_return result.Get<std::string>(0, 0);
}

boost::asio::awaitable<std::vector<Payment>> FindPayments(pg::Pool& pool, std::string order_id) {
  auto result = co_await pool.Query(
      std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE order_id = $1::uuid", order_id);
  std::vector<Payment> payments;
  for (int row = 0; row < result.Rows(); ++row) payments.push_back(ReadPayment(result, row));
  co_return payments;
}

boost::asio::awaitable<Payment> InsertPayment(pg::Transaction& transaction, const Payment& payment) {
  auto result = co_await transaction.Query(
      std::string(
          "INSERT INTO payments (payment_id, order_id, customer_id, status, amount_minor, currency, reason, "
          "order_version, version) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::bigint, $6, $7, $8::bigint, "
          "$9::bigint) RETURNING ") +
          kPaymentColumns,
      payment.payment_id, payment.order_id, payment.customer_id, ToString(payment.status),
      payment.amount_minor, payment.currency, payment.reason, payment.order_version, payment.version);
  co_return ReadPayment(result, 0);
}

boost::asio::awaitable<Payment> UpdatePayment(pg::Transaction& transaction, const Payment& payment) {
  auto result = co_await transaction.Query(
      std::string("UPDATE payments SET status = $2, reason = $3, version = $4::bigint, updated_at = now() "
                  "WHERE order_id = $1::uuid AND version = $4::bigint - 1 RETURNING ") +
          kPaymentColumns,
      payment.order_id, ToString(payment.status), payment.reason, payment.version);
  if (result.Empty()) throw std::runtime_error("the payment changed concurrently; retrying");
  co_return ReadPayment(result, 0);
}

boost::asio::awaitable<LedgerTotals> ReadLedgerTotals(pg::Pool& pool) {
  auto result = co_await pool.Query(
      "SELECT "
      "(SELECT coalesce(sum(amount_minor) FILTER (WHERE kind = 'deposit'), 0) FROM ledger_entries)::bigint, "
      "(SELECT coalesce(sum(balance_minor), 0) FROM accounts)::bigint, "
      "(SELECT coalesce(sum(amount_minor) FILTER (WHERE kind = 'charge'), 0) FROM ledger_entries)::bigint, "
      "(SELECT coalesce(sum(amount_minor) FILTER (WHERE kind = 'refund'), 0) FROM ledger_entries)::bigint, "
      "(SELECT count(*) FROM accounts)");
  co_return LedgerTotals{.deposits_minor = result.Get<std::int64_t>(0, 0),
                         .balances_minor = result.Get<std::int64_t>(0, 1),
                         .captured_minor = result.Get<std::int64_t>(0, 2),
                         .refunded_minor = result.Get<std::int64_t>(0, 3),
                         .accounts = result.Get<std::int64_t>(0, 4)};
}

}  // namespace microstore::payment
