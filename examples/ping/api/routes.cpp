#include "ping/api/routes.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "ping/api/json.hpp"
#include "ping/app/visits.hpp"
#include "platform/core/overloaded.hpp"
#include "platform/http/problem.hpp"

namespace microstore::ping::api {
namespace {

namespace asio = boost::asio;
using http::HttpError;
using http::Request;
using http::Response;

HttpError InvalidNameError() {
  return HttpError(422, "invalid-name", "a name is at most " + std::to_string(kMaxNameBytes) + " bytes");
}

asio::awaitable<Response> PingRoute(Request& request) {
  if (const auto text = request.Query("delay_ms")) {
    const auto delay = ParseDelay(*text);
    if (!delay) throw HttpError(400, "invalid-delay", "delay_ms must be a number from 0 to 5000");
    asio::steady_timer timer(co_await asio::this_coro::executor, *delay);
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_return Response::Json(200, {{"pong", true}});
}

asio::awaitable<Response> RecordVisitRoute(pg::Pool& db, Request& request) {
  auto outcome = co_await RecordVisit(db, std::string(request.Param("name")));
  co_return std::visit(core::Overloaded{[](const Visits& visits) { return Response::Json(200, VisitsJson(visits)); },
                              [](InvalidName) -> Response { throw InvalidNameError(); }},
                       outcome);
}

asio::awaitable<Response> GetVisitsRoute(pg::Pool& db, Request& request) {
  const std::string name(request.Param("name"));
  auto outcome = co_await GetVisits(db, name);
  co_return std::visit(
      core::Overloaded{[](const Visits& visits) { return Response::Json(200, VisitsJson(visits)); },
             [](InvalidName) -> Response { throw InvalidNameError(); },
             [&name](NeverVisited) -> Response { throw HttpError(404, "not-found", "nobody visited '" + name + "' yet"); }},
      outcome);
}

asio::awaitable<Response> MeRoute(Request& request) {
  const auto& caller = request.Caller();
  co_return Response::Json(200, {{"subject", caller.subject}, {"roles", caller.roles.ToStrings()}});
}

}  // namespace

void RegisterRoutes(http::Router& router, pg::Pool& db) {
  using auth::Access;
  router.Get("/ping", Access::Public(), PingRoute);
  router.Post("/visits/{name}", Access::Public(), [&db](Request& request) { return RecordVisitRoute(db, request); });
  router.Get("/visits/{name}", Access::Public(), [&db](Request& request) { return GetVisitsRoute(db, request); });
  router.Get("/me", Access::Authenticated(), MeRoute);
}

}  // namespace microstore::ping::api
