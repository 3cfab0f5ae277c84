#include "api.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "platform/http/problem.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::ping {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;

std::string VisitName(const Request& request) {
  std::string name(request.Param("name"));
  if (name.size() > 64) throw http::HttpError(422, "invalid-name", "a name is at most 64 bytes");
  return name;
}

asio::awaitable<Response> Ping(Request& request) {
  if (const auto delay = request.Query("delay_ms")) {
    int ms = 0;
    try {
      ms = std::stoi(*delay);
    } catch (const std::exception&) {
      ms = -1;
    }
    if (ms < 0 || ms > 5000) throw http::HttpError(400, "invalid-delay", "delay_ms must be a number from 0 to 5000");
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_return Response::Json(200, {{"pong", true}});
}

}  // namespace

void RegisterRoutes(http::Router& router, pg::Pool& db) {
  router.Get("/ping", auth::Access::Public(), Ping);
  router.Post("/visits/{name}", auth::Access::Public(), [&db](Request& request) -> asio::awaitable<Response> {
    const std::string name = VisitName(request);
    auto result = co_await db.Query(
        "INSERT INTO visits (name, count) VALUES ($1, 1) "
        "ON CONFLICT (name) DO UPDATE SET count = visits.count + 1, updated_at = now() RETURNING count",
        name);
    co_return Response::Json(200, {{"name", name}, {"visits", result.Get<std::int64_t>(0, 0)}});
  });
  router.Get("/visits/{name}", auth::Access::Public(), [&db](Request& request) -> asio::awaitable<Response> {
    const std::string name = VisitName(request);
    auto result = co_await db.Query("SELECT count FROM visits WHERE name = $1", name);
    if (result.Rows() == 0) throw http::HttpError(404, "not-found", "nobody visited '" + name + "' yet");
    co_return Response::Json(200, {{"name", name}, {"visits", result.Get<std::int64_t>(0, 0)}});
  });
  router.Get("/me", auth::Access::Authenticated(), [](Request& request) -> asio::awaitable<Response> {
    const auto& caller = request.Caller();
    co_return Response::Json(200, {{"subject", caller.subject}, {"roles", caller.roles.ToStrings()}});
  });
}

}  // namespace microstore::ping
