#include "order/api/routes.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "order/app/orders.hpp"
#include "platform/core/ids.hpp"
#include "order/domain/requests.hpp"
#include "platform/http/pagination.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/query.hpp"
#include "order/infra/order_store.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::order {
namespace {

namespace asio = boost::asio;
using http::HttpError;
using http::Request;
using http::Response;

constexpr const char* kPublicPrefix = "/api/v1/order/orders/";

HttpError NotFound() { return HttpError(404, "not-found", "no order has this id"); }
HttpError Forbidden() { return HttpError(403, "forbidden", "this order belongs to another customer"); }

Caller CallerOf(const Request& request) {
  const auth::Principal& principal = request.Caller();
  return {principal.subject, principal.roles.Has(auth::Role::kOperator)};
}

// The order id of the path, or 404: a malformed id names no order.
std::string OrderId(const Request& request) {
  auto id = core::CanonicalUuid(request.Param("id"));
  if (!id) throw NotFound();
  return std::move(*id);
}

Response Accepted(const Order& order) {
  Response response = Response::Json(202, ToJson(order));
  response.headers.Set("Location", kPublicPrefix + order.id);
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

asio::awaitable<Response> CreateOrderHandler(pg::Pool& db, std::string node_id, Request& request) {
  Problems problems;
  const auto key = request.Header("Idempotency-Key");
  if (auto problem = CheckIdempotencyKey(key)) problems.push_back(std::move(*problem));
  auto parsed = ParseCreateOrder(request.Json());
  if (auto* body_problems = std::get_if<Problems>(&parsed)) {
    problems.insert(problems.end(), body_problems->begin(), body_problems->end());
  }
  if (!problems.empty()) throw http::ValidationFailed(problems);

  CreateOrderCommand command{.customer_id = request.Caller().subject,
                             .idempotency_key = std::string(*key),
                             .lines = std::move(std::get<std::vector<RequestedLine>>(parsed))};
  CreateOutcome outcome = co_await CreateOrder(db, std::move(command), messaging::CausedBy(request), node_id);
  if (auto* created = std::get_if<create::Created>(&outcome)) co_return Accepted(created->order);
  if (auto* replayed = std::get_if<create::Replayed>(&outcome)) co_return Accepted(replayed->order);
  if (std::holds_alternative<create::KeyReused>(outcome)) {
    throw HttpError(422, "idempotency-key-reused", "Idempotency-Key was used for a different request",
                    {{"Idempotency-Key", "was used for a different request"}});
  }
  if (auto* unorderable = std::get_if<create::Unorderable>(&outcome))
    throw http::ValidationFailed(unorderable->problems);
  co_return UnpaidOrderExists(request, std::get<create::UnpaidOrderExists>(outcome).existing);
}

asio::awaitable<Response> GetOrderHandler(pg::Pool& db, Request& request) {
  const std::optional<Order> order = co_await FindOrder(db, OrderId(request));
  if (!order) throw NotFound();
  if (!MayAccess(CallerOf(request), *order)) throw Forbidden();
  co_return Response::Json(200, ToJson(*order));
}

asio::awaitable<Response> ListOrdersHandler(pg::Pool& db, Request& request) {
  auto parsed = ParseListQuery(http::QueryParameters(request));
  if (auto* problems = std::get_if<Problems>(&parsed)) throw http::ValidationFailed(*problems);
  OrderListQuery query = std::move(std::get<OrderListQuery>(parsed));
  const Caller caller = CallerOf(request);
  if (!caller.is_operator) {
    if (query.customer_id && *query.customer_id != caller.subject) {
      throw HttpError(403, "forbidden", "a customer lists only their own orders");
    }
    query.customer_id = caller.subject;
  }
  const std::size_t limit = query.limit;
  std::vector<ListedOrder> rows = co_await ListOrders(db, query, limit + 1);
  const nlohmann::json body = http::PageBody(
      rows, limit, [](const ListedOrder& row) { return ToJson(row.order); },
      [](const ListedOrder& row) { return EncodeCursor(row.position); });
  co_return Response::Json(200, body);
}

asio::awaitable<Response> StatsHandler(pg::Pool& db, Request& request) {
  http::RefuseQueryParameters(request);
  const OrderStats stats = co_await CountOrders(db);
  nlohmann::json by_status = nlohmann::json::object();
  for (const auto& [status, count] : stats.by_status) by_status[std::string(ToString(status))] = count;
  co_return Response::Json(200, {{"by_status", std::move(by_status)},
                                 {"total", stats.total},
                                 {"oldest_in_progress_at", stats.oldest_in_progress_at
                                                               ? nlohmann::json(*stats.oldest_in_progress_at)
                                                               : nlohmann::json(nullptr)}});
}

asio::awaitable<Response> CancelOrderHandler(pg::Pool& db, std::string node_id, Request& request) {
  CancelOutcome outcome =
      co_await CancelOrder(db, OrderId(request), CallerOf(request), messaging::CausedBy(request), node_id);
  if (std::holds_alternative<cancel::NotFound>(outcome)) throw NotFound();
  if (std::holds_alternative<cancel::Forbidden>(outcome)) throw Forbidden();
  co_return Response::Json(200, ToJson(std::get<cancel::Done>(outcome).order));
}

}  // namespace

void RegisterRoutes(http::Router& router, pg::Pool& db, std::string node_id) {
  const auto customer = auth::Access::AnyOf({auth::Role::kCustomer});
  const auto owner_or_operator = auth::Access::AnyOf({auth::Role::kCustomer, auth::Role::kOperator});
  const auto operator_only = auth::Access::AnyOf({auth::Role::kOperator});
  router.Post("/api/v1/orders", customer,
              [&db, node_id](Request& request) { return CreateOrderHandler(db, node_id, request); });
  router.Get("/api/v1/orders", owner_or_operator,
             [&db](Request& request) { return ListOrdersHandler(db, request); });
  router.Get("/api/v1/orders/stats", operator_only,
             [&db](Request& request) { return StatsHandler(db, request); });
  router.Get("/api/v1/orders/{id}", owner_or_operator,
             [&db](Request& request) { return GetOrderHandler(db, request); });
  router.Post("/api/v1/orders/{id}/cancel", owner_or_operator,
              [&db, node_id](Request& request) { return CancelOrderHandler(db, node_id, request); });
}

}  // namespace microstore::order
