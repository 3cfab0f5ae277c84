#include "stock/api/routes.hpp"

#include <boost/asio/awaitable.hpp>

#include "platform/core/ids.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/query.hpp"
#include "platform/messaging/outbox.hpp"
#include "stock/api/json.hpp"
#include "stock/app/items.hpp"
#include "stock/app/reservations.hpp"

namespace microstore::stock::api {
namespace {

namespace asio = boost::asio;
using http::HttpError;
using http::Request;
using http::Response;

template <typename T>
T Validated(std::variant<T, core::FieldErrors> validated) {
  if (auto* errors = std::get_if<core::FieldErrors>(&validated)) throw http::ValidationFailed(*errors);
  return std::move(std::get<T>(validated));
}

// The id of the path in canonical form, or 404: a malformed id names nothing.
std::string PathId(const Request& request, std::string_view name, const char* what) {
  auto id = core::CanonicalUuid(request.Param(name));
  if (!id) throw HttpError(404, "not-found", std::string("no ") + what + " has this id");
  return std::move(*id);
}

HttpError UnknownProductError() { return HttpError(404, "not-found", "stock has no item for this product"); }

// The item an item route answers with, or 404.
Response ItemResponse(const std::variant<StockItem, UnknownProduct>& outcome) {
  if (std::holds_alternative<UnknownProduct>(outcome)) throw UnknownProductError();
  return Response::Json(200, ItemJson(std::get<StockItem>(outcome)));
}

asio::awaitable<Response> LookupItemsHandler(pg::Pool& db, Request& request) {
  std::vector<std::string> ids = Validated(ParseItemLookup(http::QueryParameters(request)));
  const std::vector<StockItem> items = co_await LookupItems(db, std::move(ids));
  co_return Response::Json(200, ItemsJson(items));
}

asio::awaitable<Response> GetItemHandler(pg::Pool& db, Request& request) {
  std::string id = PathId(request, "product_id", "product");
  http::RefuseQueryParameters(request);
  co_return ItemResponse(co_await GetItem(db, std::move(id)));
}

asio::awaitable<Response> RestockHandler(pg::Pool& db, const messaging::Outbox& outbox, Request& request) {
  std::string id = PathId(request, "product_id", "product");
  http::RefuseQueryParameters(request);
  RestockRequest restock = Validated(ValidateRestock(request.Json()));
  co_return ItemResponse(co_await Restock(db, outbox, std::move(id), std::move(restock),
                                          request.Caller().subject, messaging::CausedBy(request)));
}

asio::awaitable<Response> AdjustHandler(pg::Pool& db, const messaging::Outbox& outbox, Request& request) {
  std::string id = PathId(request, "product_id", "product");
  http::RefuseQueryParameters(request);
  AdjustmentRequest adjustment = Validated(ValidateAdjustment(request.Json()));
  const auto outcome = co_await Adjust(db, outbox, std::move(id), std::move(adjustment),
                                       request.Caller().subject, messaging::CausedBy(request));
  if (const auto* refused = std::get_if<InsufficientFree>(&outcome)) {
    throw HttpError(409, "insufficient-stock",
                    "free stock is " + std::to_string(refused->free) + "; an adjustment of " +
                        std::to_string(refused->delta) + " would make it negative",
                    {{"delta", "would make free stock negative"}});
  }
  if (std::holds_alternative<UnknownProduct>(outcome)) throw UnknownProductError();
  co_return Response::Json(200, ItemJson(std::get<StockItem>(outcome)));
}

asio::awaitable<Response> MovementsHandler(pg::Pool& db, Request& request) {
  std::string id = PathId(request, "product_id", "product");
  const MovementsQuery query = Validated(ParseMovementsQuery(http::QueryParameters(request)));
  const auto outcome = co_await ListMovements(db, std::move(id), query);
  if (std::holds_alternative<UnknownProduct>(outcome)) throw UnknownProductError();
  co_return Response::Json(200, MovementPageJson(std::get<MovementPage>(outcome)));
}

asio::awaitable<Response> GetReservationHandler(pg::Pool& db, Request& request) {
  std::string id = PathId(request, "order_id", "reservation");
  http::RefuseQueryParameters(request);
  const auto outcome = co_await GetReservation(db, std::move(id));
  if (std::holds_alternative<UnknownReservation>(outcome)) {
    throw HttpError(404, "not-found", "stock has no reservation for this order");
  }
  co_return Response::Json(200, ReservationJson(std::get<ReservationRecord>(outcome)));
}

asio::awaitable<Response> TotalsHandler(pg::Pool& db, Request& request) {
  http::RefuseQueryParameters(request);
  co_return Response::Json(200, TotalsJson(co_await ReadTotals(db)));
}

}  // namespace

void RegisterRoutes(http::Router& router, pg::Pool& db, const messaging::Outbox& outbox) {
  using auth::Access;
  using auth::Role;
  const auto stock_operator = Access::AnyOf({Role::kStockOperator});
  const auto staff = Access::AnyOf({Role::kStockOperator, Role::kOperator});
  router.Get("/api/v1/items", Access::Public(),
             [&db](Request& request) { return LookupItemsHandler(db, request); });
  router.Get("/api/v1/items/{product_id}", Access::Public(),
             [&db](Request& request) { return GetItemHandler(db, request); });
  router.Post("/api/v1/items/{product_id}/restock", stock_operator,
              [&db, &outbox](Request& request) { return RestockHandler(db, outbox, request); });
  router.Post("/api/v1/items/{product_id}/adjustments", stock_operator,
              [&db, &outbox](Request& request) { return AdjustHandler(db, outbox, request); });
  router.Get("/api/v1/items/{product_id}/movements", staff,
             [&db](Request& request) { return MovementsHandler(db, request); });
  router.Get("/api/v1/reservations/{order_id}", staff,
             [&db](Request& request) { return GetReservationHandler(db, request); });
  router.Get("/api/v1/totals", staff, [&db](Request& request) { return TotalsHandler(db, request); });
}

}  // namespace microstore::stock::api
