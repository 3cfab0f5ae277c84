#include "payment/app/accounts.hpp"

#include "payment/infra/store.hpp"
#include "platform/core/ids.hpp"
#include "platform/pg/errors.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::payment {
namespace {

namespace asio = boost::asio;

constexpr int kDepositAttempts = 3;

asio::awaitable<DepositOutcome> DepositOnce(pg::Pool& db, const Settings& settings,
                                            const std::string& customer_id,
                                            const std::string& idempotency_key,
                                            const DepositRequest& wanted) {
  pg::Transaction transaction = co_await db.Begin();
  const Account account = co_await LockAccountCreating(transaction, customer_id, settings.currency);
  const std::optional<LedgerEntry> same_key = co_await FindDeposit(transaction, customer_id, idempotency_key);
  const DepositDecision decided = DecideDeposit(account, same_key, wanted);
  if (const auto* replay = std::get_if<deposit::Replay>(&decided)) {
    co_await transaction.Commit();
    co_return Deposited{replay->deposit, true};
  }
  // A refusal returns without committing: the transaction rolls back, and with it the account
  // LockAccountCreating may have created.
  if (const auto* reused = std::get_if<deposit::KeyReused>(&decided)) co_return *reused;
  if (const auto* limit = std::get_if<deposit::BalanceLimit>(&decided)) co_return *limit;
  if (const auto* other = std::get_if<deposit::OtherCurrency>(&decided)) co_return *other;
  const auto& credit = std::get<deposit::Credit>(decided);
  co_await SetBalance(transaction, account, credit.balance_after_minor);
  LedgerEntry entry{.id = core::NewUuid(),
                    .customer_id = customer_id,
                    .kind = EntryKind::kDeposit,
                    .amount_minor = credit.amount_minor,
                    .currency = account.currency,
                    .idempotency_key = idempotency_key,
                    .balance_after_minor = credit.balance_after_minor};
  LedgerEntry stored = co_await AppendEntry(transaction, std::move(entry));
  co_await transaction.Commit();
  co_return Deposited{std::move(stored), false};
}

}  // namespace

asio::awaitable<Account> MyAccount(pg::Pool& db, const Settings& settings, std::string customer_id) {
  std::optional<Account> account = co_await FindAccount(db, customer_id);
  if (account) co_return std::move(*account);
  co_return EmptyAccount(std::move(customer_id), settings.currency);
}

asio::awaitable<std::optional<Account>> GetAccount(pg::Pool& db, std::string customer_id) {
  co_return co_await FindAccount(db, std::move(customer_id));
}

asio::awaitable<DepositOutcome> Deposit(pg::Pool& db, const Settings& settings, std::string customer_id,
                                        std::string idempotency_key, DepositRequest wanted) {
  for (int attempt = 1;; ++attempt) {
    try {
      co_return co_await DepositOnce(db, settings, customer_id, idempotency_key, wanted);
    } catch (const pg::UniqueViolation&) {
      // A concurrent request with the same key created the account or the deposit first: the next
      // attempt finds it.
      if (attempt >= kDepositAttempts) throw;
    }
  }
}

asio::awaitable<std::vector<ListedEntry>> ListTransactions(pg::Pool& db, std::string customer_id,
                                                           PageQuery query) {
  co_return co_await ListEntries(db, std::move(customer_id), query.before, query.limit + 1);
}

asio::awaitable<LedgerTotals> GetLedger(pg::Pool& db) { co_return co_await ReadLedgerTotals(db); }

asio::awaitable<void> OnUserRegistered(pg::Transaction& transaction, const Settings& settings,
                                       Registration registration) {
  if (!registration.customer) co_return;  // staff hold no account
  co_await EnsureAccount(transaction, std::move(registration.user_id), settings.currency);
}

}  // namespace microstore::payment
