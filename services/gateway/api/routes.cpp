#include "gateway/api/routes.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "gateway/api/authentication.hpp"
#include "gateway/api/cors.hpp"
#include "gateway/api/rate_limiting.hpp"
#include "gateway/api/static_site.hpp"
#include "gateway/api/upstream_client.hpp"
#include "platform/http/problem.hpp"

namespace microstore::gateway::api {
namespace {

namespace asio = boost::asio;
using http::Method;
using http::Request;
using http::Response;

// The door every request passes, forwarded or the gateway's own: the token (when one is sent)
// must be accepted, and the client within its rate. The refusal, or nullopt to let it in.
std::optional<Response> Admit(const Gateway& gateway, const Request& request) {
  auto client = Authenticate(request, gateway.verifier, gateway.revocations);
  if (auto* refusal = std::get_if<Response>(&client)) return std::move(*refusal);
  return gateway.rate_limiting.Admit(std::get<ClientKey>(client), request);
}

asio::awaitable<Response> Forward(Gateway gateway, Request& request) {
  if (auto refusal = Admit(gateway, request)) co_return std::move(*refusal);
  co_return co_await gateway.upstreams.Forward(request);
}

asio::awaitable<Response> ServeOwn(Gateway gateway, const http::Handler& handler, Request& request) {
  if (auto refusal = Admit(gateway, request)) co_return std::move(*refusal);
  co_return co_await handler(request);
}

asio::awaitable<Response> ServeRoot(const StaticSite* site, Request& request) {
  if (site != nullptr) co_return co_await site->Serve(request, "");
  Response response = Response::Json(200, {{"service", "microstore gateway"}, {"api", "/api/v1"}});
  if (request.method == Method::kHead) response.body.clear();
  co_return response;
}

asio::awaitable<Response> ServeFile(const StaticSite& site, Request& request) {
  const std::string_view raw = request.Param("path");
  // /api/v1/<area> without a rest, and the like, must not turn into the single-page app.
  if (raw == "api" || raw.starts_with("api/")) {
    co_return http::Problem(404, "route-not-found", "no route for " + std::string(request.Path()), &request);
  }
  auto relative = ResolveStaticPath(raw);
  if (!relative) co_return http::Problem(404, "file-not-found", "no such file", &request);
  co_return co_await site.Serve(request, std::move(*relative));
}

}  // namespace

void RegisterRoutes(http::Router& router, const Gateway& gateway, const http::Router& own) {
  for (const auto& route : own.routes()) {
    router.Add(route->method, route->pattern, route->access,
               WithCors(gateway.cors, [gateway, handler = route->handler](Request& request) {
                 return ServeOwn(gateway, handler, request);
               }));
  }
  for (const Method method : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                              Method::kDelete, Method::kOptions}) {
    router.Add(method, "/api/v1/{area}/{rest...}", auth::Access::Public(),
               WithCors(gateway.cors, [gateway](Request& request) { return Forward(gateway, request); }));
  }
  for (const Method method : {Method::kGet, Method::kHead}) {
    router.Add(
        method, "/", auth::Access::Public(),
        WithCors(gateway.cors, [site = gateway.site](Request& request) { return ServeRoot(site, request); }));
    if (gateway.site != nullptr) {
      router.Add(method, "/{path...}", auth::Access::Public(),
                 WithCors(gateway.cors,
                          [&site = *gateway.site](Request& request) { return ServeFile(site, request); }));
    }
  }
}

}  // namespace microstore::gateway::api
