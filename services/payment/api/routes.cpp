#include "payment/api/routes.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "platform/core/ids.hpp"
#include "payment/domain/account.hpp"
#include "payment/domain/ids.hpp"
#include "payment/domain/payment.hpp"
#include "payment/domain/requests.hpp"
#include "platform/http/pagination.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/query.hpp"
#include "payment/infra/store.hpp"
#include "platform/pg/errors.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::payment {
namespace {

namespace asio = boost::asio;
using http::HttpError;
using http::Request;
using http::Response;

constexpr const char* kPublicAccountPath = "/api/v1/payment/accounts/me";

// The calling customer's id: the token's subject, which identity makes a UUID.
std::string CustomerOf(const Request& request) {
  auto id = core::CanonicalUuid(request.Caller().subject);
  if (!id) throw HttpError(403, "forbidden", "the token's subject is not a customer id");
  return std::move(*id);
}

// A UUID path parameter in canonical form, or 404: a malformed id names nothing (as in every
// service).
std::string PathId(const Request& request, const char* name) {
  auto id = core::CanonicalUuid(request.Param(name));
  if (!id) throw http::HttpError(404, "not-found", std::string("no ") + name + " like this exists");
  return std::move(*id);
}

asio::awaitable<Response> MyAccountHandler(pg::Pool& db, const Settings& settings, Request& request) {
  http::RefuseQueryParameters(request);
  const std::string customer_id = CustomerOf(request);
  std::optional<Account> account = co_await FindAccount(db, customer_id);
  co_return Response::Json(200, ToJson(account ? *account : EmptyAccount(customer_id, settings.currency)));
}

struct DepositOutcome {
  int status = 201;
  LedgerEntry deposit;
};

// One attempt at the deposit, in one transaction. The account row lock serialises deposits of a
// customer, so a repeated key is found by the later request; the unique index catches the rest.
asio::awaitable<DepositOutcome> Deposit(pg::Pool& db, const Settings& settings, std::string customer_id,
                                        std::string idempotency_key, DepositRequest wanted) {
  pg::Transaction transaction = co_await db.Begin();
  co_await EnsureAccount(transaction, customer_id, settings.currency);
  std::optional<Account> account = co_await LockAccount(transaction, customer_id);
  if (!account) throw std::runtime_error("the account vanished");
  if (wanted.currency && *wanted.currency != account->currency) {
    throw http::ValidationFailed({{"currency", "must be the account's currency " + account->currency}});
  }
  std::optional<LedgerEntry> same_key = co_await FindDeposit(transaction, customer_id, idempotency_key);
  const DepositDecision decided = DecideDeposit(*account, same_key, wanted.amount_minor);
  if (const auto* replay = std::get_if<deposit::Replay>(&decided)) {
    co_await transaction.Commit();
    co_return DepositOutcome{200, replay->deposit};
  }
  if (const auto* reused = std::get_if<deposit::KeyReused>(&decided)) {
    throw HttpError(422, "idempotency-key-reused",
                    "this Idempotency-Key was used for a deposit of " +
                        std::to_string(reused->original_amount_minor) + "; use a new key for a new deposit",
                    {{kIdempotencyKeyHeader, "was used for a deposit of another amount"}});
  }
  if (std::holds_alternative<deposit::BalanceLimit>(decided)) {
    throw HttpError(422, "balance-limit", "the balance would exceed " + std::to_string(kMaxBalanceMinor),
                    {{"amount_minor", "would take the balance over the limit"}});
  }
  const auto& credit = std::get<deposit::Credit>(decided);
  co_await SetBalance(transaction, *account, credit.balance_after_minor);
  LedgerEntry entry{.id = core::NewUuid(),
                    .customer_id = customer_id,
                    .kind = EntryKind::kDeposit,
                    .amount_minor = credit.amount_minor,
                    .currency = account->currency,
                    .idempotency_key = idempotency_key,
                    .balance_after_minor = credit.balance_after_minor};
  LedgerEntry stored = co_await AppendEntry(transaction, std::move(entry));
  co_await transaction.Commit();
  co_return DepositOutcome{201, std::move(stored)};
}

asio::awaitable<Response> DepositHandler(pg::Pool& db, const Settings& settings, Request& request) {
  const std::string customer_id = CustomerOf(request);
  const nlohmann::json body = request.Json();
  Problems problems;
  for (auto& error : http::UnknownQueryParameters(request)) {
    problems.push_back({std::move(error.field), std::move(error.message)});
  }
  const auto key = request.Header(kIdempotencyKeyHeader);
  if (auto problem = CheckIdempotencyKey(key)) problems.push_back(std::move(*problem));
  auto validated = ValidateDeposit(body);
  if (auto* invalid = std::get_if<Problems>(&validated))
    problems.insert(problems.end(), invalid->begin(), invalid->end());
  if (!problems.empty()) throw http::ValidationFailed(problems);
  const DepositRequest deposit = std::get<DepositRequest>(validated);
  const std::string idempotency_key(*key);

  std::optional<DepositOutcome> outcome;
  for (int attempt = 1; !outcome; ++attempt) {
    try {
      outcome = co_await Deposit(db, settings, customer_id, idempotency_key, deposit);
    } catch (const pg::UniqueViolation&) {
      // A concurrent request with the same key created the account or the deposit first: the next
      // attempt finds it.
      if (attempt >= 3) throw;
    }
  }
  Response response = Response::Json(
      outcome->status,
      {{"deposit", DepositJson(outcome->deposit)}, {"balance_minor", outcome->deposit.balance_after_minor}});
  response.headers.Set("Location", kPublicAccountPath);
  co_return response;
}

asio::awaitable<Response> TransactionsHandler(pg::Pool& db, Request& request) {
  const std::string customer_id = CustomerOf(request);
  auto parsed = ParsePageQuery(http::QueryParameters(request));
  if (auto* problems = std::get_if<Problems>(&parsed)) throw http::ValidationFailed(*problems);
  const PageQuery query = std::get<PageQuery>(parsed);
  std::vector<ListedEntry> rows = co_await ListEntries(db, customer_id, query.before, query.limit + 1);
  const nlohmann::json body = http::PageBody(
      rows, static_cast<std::size_t>(query.limit), [](const ListedEntry& row) { return ToJson(row.entry); },
      [](const ListedEntry& row) { return EncodeCursor(row.position); });
  co_return Response::Json(200, body);
}

asio::awaitable<Response> AccountHandler(pg::Pool& db, Request& request) {
  http::RefuseQueryParameters(request);
  const std::string customer_id = PathId(request, "customer_id");
  std::optional<Account> account = co_await FindAccount(db, customer_id);
  if (!account) throw HttpError(404, "not-found", "no account belongs to this customer");
  co_return Response::Json(200, ToJson(*account));
}

asio::awaitable<Response> OrderPaymentsHandler(pg::Pool& db, Request& request) {
  http::RefuseQueryParameters(request);
  const std::string order_id = PathId(request, "order_id");
  const bool operator_view = request.Caller().roles.Has(auth::Role::kOperator);
  const std::string caller = operator_view ? std::string() : CustomerOf(request);
  std::vector<Payment> payments = co_await FindPayments(db, order_id);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& payment : payments) {
    if (!operator_view && payment.customer_id != caller) {
      throw HttpError(403, "forbidden", "this order belongs to another customer");
    }
    items.push_back(ToJson(payment));
  }
  co_return Response::Json(200, {{"items", std::move(items)}});
}

asio::awaitable<Response> LedgerHandler(pg::Pool& db, Request& request) {
  http::RefuseQueryParameters(request);
  const LedgerTotals totals = co_await ReadLedgerTotals(db);
  co_return Response::Json(200, ToJson(totals));
}

}  // namespace

void RegisterRoutes(http::Router& router, pg::Pool& db, Settings settings) {
  const auto customer = auth::Access::AnyOf({auth::Role::kCustomer});
  const auto operator_only = auth::Access::AnyOf({auth::Role::kOperator});
  const auto customer_or_operator = auth::Access::AnyOf({auth::Role::kCustomer, auth::Role::kOperator});
  // Shared by the handlers, alive as long as the router holds them.
  auto shared = std::make_shared<const Settings>(std::move(settings));

  router.Get("/api/v1/accounts/me", customer,
             [&db, shared](Request& request) { return MyAccountHandler(db, *shared, request); });
  router.Post("/api/v1/accounts/me/deposits", customer,
              [&db, shared](Request& request) { return DepositHandler(db, *shared, request); });
  router.Get("/api/v1/accounts/me/transactions", customer,
             [&db](Request& request) { return TransactionsHandler(db, request); });
  router.Get("/api/v1/accounts/{customer_id}", operator_only,
             [&db](Request& request) { return AccountHandler(db, request); });
  router.Get("/api/v1/payments/{order_id}", customer_or_operator,
             [&db](Request& request) { return OrderPaymentsHandler(db, request); });
  router.Get("/api/v1/ledger", operator_only, [&db](Request& request) { return LedgerHandler(db, request); });
}

}  // namespace microstore::payment
