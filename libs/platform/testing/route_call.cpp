#include "platform/testing/route_call.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "platform/http/problem.hpp"

namespace microstore::testing {

boost::asio::awaitable<http::Response> CallRoute(const http::Router* router, http::Method method, std::string target) {
  const auto query = target.find('?');
  const auto match = router->Find(method, target.substr(0, query));
  if (match.kind != http::Router::Match::Kind::kFound) throw std::logic_error("no route for " + target);
  http::Request request;
  request.method = method;
  request.target = target;
  request.path_params = match.params;
  try {
    co_return co_await match.route->handler(request);
  } catch (const http::HttpError& e) {
    co_return http::Response::Json(e.status(), {{"type", e.code()}});
  }
}

}  // namespace microstore::testing
