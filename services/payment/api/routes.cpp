#include "payment/api/routes.hpp"

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "payment/api/json.hpp"
#include "payment/app/accounts.hpp"
#include "payment/app/payments.hpp"
#include "platform/core/ids.hpp"
#include "platform/http/pagination.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/query.hpp"

namespace microstore::payment::api {
namespace {

namespace asio = boost::asio;
using http::HttpError;
using http::Request;
using http::Response;

constexpr const char* kPublicAccountPath = "/api/v1/payment/accounts/me";
constexpr const char* kIdempotencyKeyHeader = "Idempotency-Key";

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
  const Account account = co_await MyAccount(db, settings, CustomerOf(request));
  co_return Response::Json(200, AccountJson(account));
}

// The refusals of a deposit, as the API answers them.
HttpError DepositRefused(const DepositOutcome& outcome) {
  if (const auto* reused = std::get_if<deposit::KeyReused>(&outcome)) {
    return HttpError(422, "idempotency-key-reused",
                     "this Idempotency-Key was used for a deposit of " +
                         std::to_string(reused->original_amount_minor) + "; use a new key for a new deposit",
                     {{kIdempotencyKeyHeader, "was used for a deposit of another amount"}});
  }
  if (const auto* other = std::get_if<deposit::OtherCurrency>(&outcome)) {
    return http::ValidationFailed(
        {{"currency", "must be the account's currency " + other->account_currency}});
  }
  return HttpError(422, "balance-limit", "the balance would exceed " + std::to_string(kMaxBalanceMinor),
                   {{"amount_minor", "would take the balance over the limit"}});
}

asio::awaitable<Response> DepositHandler(pg::Pool& db, const Settings& settings, Request& request) {
  const std::string customer_id = CustomerOf(request);
  const nlohmann::json body = request.Json();
  http::QueryReader query(request, {});
  core::FieldErrors errors = query.errors();
  auto key = http::IdempotencyKey(request);
  if (auto* error = std::get_if<core::FieldError>(&key)) errors.push_back(std::move(*error));
  auto wanted = ReadDeposit(body);
  if (auto* invalid = std::get_if<core::FieldErrors>(&wanted)) {
    errors.insert(errors.end(), invalid->begin(), invalid->end());
  }
  if (!errors.empty()) throw http::ValidationFailed(std::move(errors));

  const DepositOutcome outcome =
      co_await Deposit(db, settings, customer_id, std::get<std::string>(std::move(key)),
                       std::get<DepositRequest>(std::move(wanted)));
  const auto* deposited = std::get_if<Deposited>(&outcome);
  if (deposited == nullptr) throw DepositRefused(outcome);
  Response response = Response::Json(deposited->replayed ? 200 : 201,
                                     {{"deposit", DepositJson(deposited->deposit)},
                                      {"balance_minor", deposited->deposit.balance_after_minor}});
  response.headers.Set("Location", kPublicAccountPath);
  co_return response;
}

asio::awaitable<Response> TransactionsHandler(pg::Pool& db, Request& request) {
  std::string customer_id = CustomerOf(request);
  auto read = ReadPageQuery(http::QueryParameters(request));
  if (auto* errors = std::get_if<core::FieldErrors>(&read)) throw http::ValidationFailed(std::move(*errors));
  const PageQuery query = std::get<PageQuery>(read);
  const std::vector<ListedEntry> rows = co_await ListTransactions(db, std::move(customer_id), query);
  co_return Response::Json(200, http::PageBody(
                                    rows, static_cast<std::size_t>(query.limit),
                                    [](const ListedEntry& row) { return EntryJson(row.entry); },
                                    [](const ListedEntry& row) { return LedgerCursor(row.position); }));
}

asio::awaitable<Response> AccountHandler(pg::Pool& db, Request& request) {
  http::RefuseQueryParameters(request);
  const std::optional<Account> account = co_await GetAccount(db, PathId(request, "customer_id"));
  if (!account) throw HttpError(404, "not-found", "no account belongs to this customer");
  co_return Response::Json(200, AccountJson(*account));
}

asio::awaitable<Response> OrderPaymentsHandler(pg::Pool& db, Request& request) {
  http::RefuseQueryParameters(request);
  std::string order_id = PathId(request, "order_id");
  std::optional<std::string> reader;
  if (!request.Caller().roles.Has(auth::Role::kOperator)) reader = CustomerOf(request);
  const PaymentsOutcome outcome = co_await ListPayments(db, std::move(order_id), std::move(reader));
  if (std::holds_alternative<OfAnotherCustomer>(outcome)) {
    throw HttpError(403, "forbidden", "this order belongs to another customer");
  }
  nlohmann::json items = nlohmann::json::array();
  for (const Payment& payment : std::get<std::vector<Payment>>(outcome))
    items.push_back(PaymentJson(payment));
  co_return Response::Json(200, {{"items", std::move(items)}});
}

asio::awaitable<Response> LedgerHandler(pg::Pool& db, Request& request) {
  http::RefuseQueryParameters(request);
  co_return Response::Json(200, TotalsJson(co_await GetLedger(db)));
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

}  // namespace microstore::payment::api
