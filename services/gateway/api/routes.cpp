#include "gateway/api/routes.hpp"

#include "gateway/api/gateway.hpp"

namespace microstore::gateway {

void RegisterRoutes(http::Router& router, Gateway& gateway, const http::Router& own) {
  using http::Method;
  for (const auto& route : own.routes()) {
    router.Add(route->method, route->pattern, route->access,
               [&gateway, handler = route->handler](http::Request& request) {
                 return gateway.Own(request, handler);
               });
  }
  for (const Method method : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                              Method::kDelete, Method::kOptions}) {
    router.Add(method, "/api/v1/{area}/{rest...}", auth::Access::Public(),
               [&gateway](http::Request& request) { return gateway.Api(request); });
  }
  for (const Method method : {Method::kGet, Method::kHead}) {
    router.Add(method, "/", auth::Access::Public(),
               [&gateway](http::Request& request) { return gateway.Root(request); });
    if (gateway.ServesFiles()) {
      router.Add(method, "/{path...}", auth::Access::Public(),
                 [&gateway](http::Request& request) { return gateway.File(request); });
    }
  }
}

}  // namespace microstore::gateway
