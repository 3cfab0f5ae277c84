#include "api/routes.hpp"

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "api/json.hpp"
#include "domain/requests.hpp"
#include "domain/stock_item.hpp"
#include "http/problem.hpp"
#include "http/uri.hpp"
#include "infra/stock_repository.hpp"
#include "pg/pool.hpp"

namespace microstore::stock {
namespace {

namespace asio = boost::asio;
using http::HttpError;
using http::Request;
using http::Response;

HttpError ValidationFailed(const Problems& problems) {
  std::vector<http::FieldError> errors;
  errors.reserve(problems.size());
  for (const auto& problem : problems) errors.push_back({problem.field, problem.message});
  const std::string detail =
      problems.size() == 1 ? "1 field is invalid" : std::to_string(problems.size()) + " fields are invalid";
  return HttpError(422, "validation-failed", detail, std::move(errors));
}

template <typename T>
T Validated(std::variant<T, Problems> validated) {
  if (auto* problems = std::get_if<Problems>(&validated)) throw ValidationFailed(*problems);
  return std::move(std::get<T>(validated));
}

QueryParameters ParametersOf(const Request& request) {
  QueryParameters parameters;
  std::string_view rest = request.QueryString();
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = http::PercentDecode(pair.substr(0, eq), true);
    auto value =
        http::PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) {
      throw HttpError(400, "malformed-query", "the query string is not valid percent-encoding");
    }
    parameters.emplace_back(std::move(*name), std::move(*value));
  }
  return parameters;
}

void RefuseQuery(const Request& request) {
  const Problems problems = RefuseParameters(ParametersOf(request));
  if (!problems.empty()) throw ValidationFailed(problems);
}

// The id of the path in canonical form, or 404: a malformed id names nothing.
std::string PathId(const Request& request, std::string_view name, const char* what) {
  auto id = CanonicalUuid(request.Param(name));
  if (!id) throw HttpError(404, "not-found", std::string("no ") + what + " has this id");
  return std::move(*id);
}

HttpError UnknownProduct() { return HttpError(404, "not-found", "stock has no item for this product"); }

messaging::EventContext ContextOf(const Request& request) {
  return {request.correlation_id, request.request_id, ""};
}

asio::awaitable<Response> LookupItemsHandler(pg::Pool& db, Request& request) {
  std::vector<std::string> ids = Validated(ParseItemLookup(ParametersOf(request)));
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
  RefuseQuery(request);
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
  co_await AppendEvents(transaction, std::move(events), ContextOf(request), node_id);
  co_await transaction.Commit();
  co_return response;
}

asio::awaitable<Response> RestockHandler(pg::Pool& db, std::string node_id, Request& request) {
  std::string id = PathId(request, "product_id", "product");
  RefuseQuery(request);
  RestockRequest restock = Validated(ValidateRestock(request.Json()));
  std::string actor = request.Caller().subject;
  const auto change = [&restock, &actor](const StockItem& item) {
    return Restock(item, restock.quantity, restock.reason, actor);
  };
  co_return co_await ChangeItem(db, node_id, request, std::move(id), change);
}

asio::awaitable<Response> AdjustHandler(pg::Pool& db, std::string node_id, Request& request) {
  std::string id = PathId(request, "product_id", "product");
  RefuseQuery(request);
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
  const MovementsQuery query = Validated(ParseMovementsQuery(ParametersOf(request)));
  std::optional<StockItem> item = co_await FindItem(db, id);
  if (!item) throw UnknownProduct();
  std::vector<MovementRecord> rows = co_await ListMovements(db, id, query.before_id, query.limit + 1);
  nlohmann::json items = nlohmann::json::array();
  const std::size_t limit = static_cast<std::size_t>(query.limit);
  for (std::size_t i = 0; i < rows.size() && i < limit; ++i) items.push_back(MovementJson(rows[i]));
  nlohmann::json body = {{"items", std::move(items)}};
  if (rows.size() > limit) body["next_cursor"] = MovementsCursor(rows[limit - 1].id);
  co_return Response::Json(200, body);
}

asio::awaitable<Response> GetReservationHandler(pg::Pool& db, Request& request) {
  const std::string id = PathId(request, "order_id", "reservation");
  RefuseQuery(request);
  std::optional<ReservationRecord> reservation = co_await FindReservation(db, id);
  if (!reservation) throw HttpError(404, "not-found", "stock has no reservation for this order");
  co_return Response::Json(200, ReservationJson(*reservation));
}

asio::awaitable<Response> TotalsHandler(pg::Pool& db, Request& request) {
  RefuseQuery(request);
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
