#include "order/api/routes.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "order/api/json.hpp"
#include "order/app/intake.hpp"
#include "order/app/orders.hpp"
#include "platform/core/ids.hpp"
#include "platform/http/pagination.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/query.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::order::api {
namespace {

namespace asio = boost::asio;
using http::HttpError;
using http::Request;
using http::Response;

constexpr const char* kPublicPrefix = "/api/v1/order/orders/";

HttpError NoSuchOrder() { return HttpError(404, "not-found", "no order has this id"); }
HttpError AnotherCustomersOrder() { return HttpError(403, "forbidden", "this order belongs to another customer"); }

Caller CallerOf(const Request& request) {
  const auth::Principal& principal = request.Caller();
  return {principal.subject, principal.roles.Has(auth::Role::kOperator)};
}

// The order id of the path, or 404: a malformed id names no order.
std::string OrderId(const Request& request) {
  auto id = core::CanonicalUuid(request.Param("id"));
  if (!id) throw NoSuchOrder();
  return std::move(*id);
}

// The order of an answer, or the error that says why there is none.
Order OrderOf(OrderOutcome outcome) {
  if (std::holds_alternative<NotFound>(outcome)) throw NoSuchOrder();
  if (std::holds_alternative<Forbidden>(outcome)) throw AnotherCustomersOrder();
  return std::get<Order>(std::move(outcome));
}

Response Accepted(const Order& order) {
  Response response = Response::Json(202, OrderJson(order));
  response.headers.Set("Location", kPublicPrefix + order.id);
  return response;
}

Response Overloaded(const Request& request) {
  Response response = http::Problem(
      503, "overloaded", "more orders are being processed than the store can finish promptly; retry shortly",
      &request);
  response.headers.Set("Retry-After", "1");
  return response;
}

Response UnpaidOrderExists(const Request& request, const std::optional<Order>& existing) {
  if (!existing) {
    return http::Problem(409, "unpaid-order-exists",
                         "another order of yours was awaiting payment a moment ago; try again", &request);
  }
  Response response = http::Problem(
      409, "unpaid-order-exists",
      "you already have an unpaid order (" + existing->id + "); pay or cancel it before placing another",
      &request);
  nlohmann::json body = nlohmann::json::parse(response.body);
  body["existing_order_id"] = existing->id;
  body["existing_order_url"] = kPublicPrefix + existing->id;
  response.body = body.dump();
  response.headers.Set("Location", kPublicPrefix + existing->id);
  return response;
}

asio::awaitable<Response> CreateOrderHandler(pg::Pool& db, const messaging::Outbox& outbox, Intake& intake,
                                             Request& request) {
  core::FieldErrors errors;
  auto key = http::IdempotencyKey(request);
  if (auto* error = std::get_if<core::FieldError>(&key)) errors.push_back(std::move(*error));
  auto lines = ReadCreateOrder(request.Json());
  if (auto* body_errors = std::get_if<core::FieldErrors>(&lines)) {
    errors.insert(errors.end(), body_errors->begin(), body_errors->end());
  }
  if (!errors.empty()) throw http::ValidationFailed(std::move(errors));
  if (!intake.Admits()) co_return Overloaded(request);

  CreateOrderCommand command{.customer_id = request.Caller().subject,
                             .idempotency_key = std::move(std::get<std::string>(key)),
                             .lines = std::move(std::get<std::vector<RequestedLine>>(lines))};
  CreateOutcome outcome = co_await CreateOrder(db, outbox, std::move(command), messaging::CausedBy(request));
  if (auto* created = std::get_if<create::Created>(&outcome)) {
    intake.Accepted();
    co_return Accepted(created->order);
  }
  if (auto* replayed = std::get_if<create::Replayed>(&outcome)) co_return Accepted(replayed->order);
  if (std::holds_alternative<create::KeyReused>(outcome)) {
    throw HttpError(422, "idempotency-key-reused", "Idempotency-Key was used for a different request",
                    {{"Idempotency-Key", "was used for a different request"}});
  }
  if (auto* unorderable = std::get_if<create::Unorderable>(&outcome))
    throw http::ValidationFailed(std::move(unorderable->errors));
  co_return UnpaidOrderExists(request, std::get<create::UnpaidOrderExists>(outcome).existing);
}

asio::awaitable<Response> GetOrderHandler(pg::Pool& db, Request& request) {
  OrderOutcome outcome = co_await GetOrder(db, OrderId(request), CallerOf(request));
  co_return Response::Json(200, OrderJson(OrderOf(std::move(outcome))));
}

asio::awaitable<Response> ListOrdersHandler(pg::Pool& db, Request& request) {
  auto read = ReadListQuery(http::QueryParameters(request));
  if (auto* errors = std::get_if<core::FieldErrors>(&read)) throw http::ValidationFailed(std::move(*errors));
  OrderListQuery query = std::move(std::get<OrderListQuery>(read));
  const std::size_t limit = query.limit;
  ListOutcome outcome = co_await ListOrders(db, CallerOf(request), std::move(query));
  if (std::holds_alternative<Forbidden>(outcome)) {
    throw HttpError(403, "forbidden", "a customer lists only their own orders");
  }
  const nlohmann::json body = http::PageBody(
      std::get<std::vector<ListedOrder>>(outcome), limit, [](const ListedOrder& row) { return OrderJson(row.order); },
      [](const ListedOrder& row) { return EncodeCursor(row.position); });
  co_return Response::Json(200, body);
}

asio::awaitable<Response> StatsHandler(pg::Pool& db, Request& request) {
  http::RefuseQueryParameters(request);
  const OrderStats stats = co_await GetOrderStats(db);
  co_return Response::Json(200, StatsJson(stats));
}

asio::awaitable<Response> CancelOrderHandler(pg::Pool& db, const messaging::Outbox& outbox, Request& request) {
  OrderOutcome outcome =
      co_await CancelOrder(db, outbox, OrderId(request), CallerOf(request), messaging::CausedBy(request));
  co_return Response::Json(200, OrderJson(OrderOf(std::move(outcome))));
}

}  // namespace

void RegisterRoutes(http::Router& router, pg::Pool& db, const messaging::Outbox& outbox, Intake& intake) {
  const auto customer = auth::Access::AnyOf({auth::Role::kCustomer});
  const auto owner_or_operator = auth::Access::AnyOf({auth::Role::kCustomer, auth::Role::kOperator});
  const auto operator_only = auth::Access::AnyOf({auth::Role::kOperator});
  router.Post("/api/v1/orders", customer,
              [&db, &outbox, &intake](Request& request) { return CreateOrderHandler(db, outbox, intake, request); });
  router.Get("/api/v1/orders", owner_or_operator,
             [&db](Request& request) { return ListOrdersHandler(db, request); });
  router.Get("/api/v1/orders/stats", operator_only,
             [&db](Request& request) { return StatsHandler(db, request); });
  router.Get("/api/v1/orders/{id}", owner_or_operator,
             [&db](Request& request) { return GetOrderHandler(db, request); });
  router.Post("/api/v1/orders/{id}/cancel", owner_or_operator,
              [&db, &outbox](Request& request) { return CancelOrderHandler(db, outbox, request); });
}

}  // namespace microstore::order::api
