#include "stock/api/routes.hpp"

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "stock/api/json.hpp"
#include "platform/core/ids.hpp"
#include "stock/domain/requests.hpp"
#include "stock/domain/stock_item.hpp"
#include "platform/http/pagination.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/query.hpp"
#include "stock/infra/stock_repository.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::stock {
namespace {

namespace asio = boost::asio;
using http::HttpError;
using http::Request;
using http::Response;

template <typename T>
T Validated(std::variant<T, Problems> validated) {
  if (auto* problems = std::get_if<Problems>(&validated)) throw http::ValidationFailed(*problems);
  return std::move(std::get<T>(validated));
}

// The id of the path in canonical form, or 404: a malformed id names nothing.
std::string PathId(const Request& request, std::string_view name, const char* what) {
  auto id = core::CanonicalUuid(request.Param(name));
  if (!id) throw HttpError(404, "not-found", std::string("no ") + what + " has this id");
  return std::move(*id);
}

HttpError UnknownProduct() { return HttpError(404, "not-found", "stock has no item for this product"); }

asio::awaitable<Response> LookupItemsHandler(pg::Pool& db, Request& request) {
  std::vector<std::string> ids = Validated(ParseItemLookup(http::QueryParameters(request)));
  std::vector<StockItem> found = co_await FindItems(db, ids);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& id : ids) {
    const auto it = std::find_if(found.begin(), found.end(),
                                 [&id](const StockItem& item) { return item.product_id == id; });
    if (it != found.end()) items.push_back(ItemJson(*it));
  }
  co_return Response::Json(200, {{"items", std::move(items)}});
}

asio::awaitable<Response> GetItemHandler(pg::Pool& db, Request& request) {
  const std::string id = PathId(request, "product_id", "product");
  http::RefuseQueryParameters(request);
  std::optional<StockItem> item = co_await FindItem(db, id);
  if (!item) throw UnknownProduct();
  co_return Response::Json(200, ItemJson(*item));
}

// Locks the item, applies `change` and stores the result with its audit entry and event.
template <typename Change>
asio::awaitable<Response> ChangeItem(pg::Pool& db, const std::string& node_id, Request& request,
                                     std::string product_id, Change change) {
  pg::Transaction transaction = co_await db.Begin();
  std::optional<StockItem> item = co_await LockItem(transaction, product_id);
  if (!item) throw UnknownProduct();
  OperatorChange changed = change(*item);
  const Response response = Response::Json(200, ItemJson(changed.item));
  std::vector<StockItem> items{std::move(changed.item)};
  std::vector<Movement> movements{std::move(changed.movement)};
  std::vector<EventDraft> events{std::move(changed.event)};
  co_await SaveItems(transaction, std::move(items));
  co_await InsertMovements(transaction, std::move(movements));
  co_await messaging::AppendDrafts(transaction, std::move(events), messaging::CausedBy(request), kProducer,
                                   node_id);
  co_await transaction.Commit();
  co_return response;
}

asio::awaitable<Response> RestockHandler(pg::Pool& db, std::string node_id, Request& request) {
  std::string id = PathId(request, "product_id", "product");
  http::RefuseQueryParameters(request);
  RestockRequest restock = Validated(ValidateRestock(request.Json()));
  std::string actor = request.Caller().subject;
  const auto change = [&restock, &actor](const StockItem& item) {
    return Restock(item, restock.quantity, restock.reason, actor);
  };
  co_return co_await ChangeItem(db, node_id, request, std::move(id), change);
}

asio::awaitable<Response> AdjustHandler(pg::Pool& db, std::string node_id, Request& request) {
  std::string id = PathId(request, "product_id", "product");
  http::RefuseQueryParameters(request);
  AdjustmentRequest adjustment = Validated(ValidateAdjustment(request.Json()));
  std::string actor = request.Caller().subject;
  const auto change = [&adjustment, &actor](const StockItem& item) {
    auto adjusted = Adjust(item, adjustment.delta, adjustment.reason, actor);
    if (auto* refused = std::get_if<InsufficientFree>(&adjusted)) {
      throw HttpError(409, "insufficient-stock",
                      "free stock is " + std::to_string(refused->free) + "; an adjustment of " +
                          std::to_string(refused->delta) + " would make it negative",
                      {{"delta", "would make free stock negative"}});
    }
    return std::move(std::get<OperatorChange>(adjusted));
  };
  co_return co_await ChangeItem(db, node_id, request, std::move(id), change);
}

asio::awaitable<Response> MovementsHandler(pg::Pool& db, Request& request) {
  const std::string id = PathId(request, "product_id", "product");
  const MovementsQuery query = Validated(ParseMovementsQuery(http::QueryParameters(request)));
  std::optional<StockItem> item = co_await FindItem(db, id);
  if (!item) throw UnknownProduct();
  std::vector<MovementRecord> rows = co_await ListMovements(db, id, query.before_id, query.limit + 1);
  const auto cursor_after = [](const MovementRecord& last) { return MovementsCursor(last.id); };
  const nlohmann::json body =
      http::PageBody(rows, static_cast<std::size_t>(query.limit), MovementJson, cursor_after);
  co_return Response::Json(200, body);
}

asio::awaitable<Response> GetReservationHandler(pg::Pool& db, Request& request) {
  const std::string id = PathId(request, "order_id", "reservation");
  http::RefuseQueryParameters(request);
  std::optional<ReservationRecord> reservation = co_await FindReservation(db, id);
  if (!reservation) throw HttpError(404, "not-found", "stock has no reservation for this order");
  co_return Response::Json(200, ReservationJson(*reservation));
}

asio::awaitable<Response> TotalsHandler(pg::Pool& db, Request& request) {
  http::RefuseQueryParameters(request);
  const Totals totals = co_await ReadTotals(db);
  co_return Response::Json(200, TotalsJson(totals));
}

}  // namespace

void RegisterRoutes(http::Router& router, pg::Pool& db, std::string node_id) {
  using auth::Access;
  using auth::Role;
  const auto stock_operator = Access::AnyOf({Role::kStockOperator});
  const auto staff = Access::AnyOf({Role::kStockOperator, Role::kOperator});
  router.Get("/api/v1/items", Access::Public(),
             [&db](Request& request) { return LookupItemsHandler(db, request); });
  router.Get("/api/v1/items/{product_id}", Access::Public(),
             [&db](Request& request) { return GetItemHandler(db, request); });
  router.Post("/api/v1/items/{product_id}/restock", stock_operator,
              [&db, node_id](Request& request) { return RestockHandler(db, node_id, request); });
  router.Post("/api/v1/items/{product_id}/adjustments", stock_operator,
              [&db, node_id](Request& request) { return AdjustHandler(db, node_id, request); });
  router.Get("/api/v1/items/{product_id}/movements", staff,
             [&db](Request& request) { return MovementsHandler(db, request); });
  router.Get("/api/v1/reservations/{order_id}", staff,
             [&db](Request& request) { return GetReservationHandler(db, request); });
  router.Get("/api/v1/totals", staff, [&db](Request& request) { return TotalsHandler(db, request); });
}

}  // namespace microstore::stock
