#include "routes.hpp"

#include <boost/asio/thread_pool.hpp>

#include "platform/messaging/dead_letters.hpp"

namespace microstore::e2e {

namespace {

// The /api/v1 routes of `router` with the public paths of `area`.
void AddPublic(const std::string& area, const http::Router& router, std::vector<PublicRoute>& routes) {
  static constexpr std::string_view kPrefix = "/api/v1/";
  for (const auto& route : router.routes()) {
    // Only /api/v1 is reachable through the gateway (operational routes are not).
    if (!route->pattern.starts_with(kPrefix)) continue;
    routes.push_back({area, route->method, std::string(kPrefix) + area + "/" + route->pattern.substr(kPrefix.size()),
                      route->access});
  }
}

// The dead-letter routes runtime::Service::Run registers for a consuming service (and the
// gateway for itself, under /api/v1/gateway): not in any RegisterRoutes.
http::Router DeadLetterRouter() {
  boost::asio::thread_pool workers(1);
  http::Router router;
  messaging::RegisterDeadLetterRoutes(router, "amqp://unused", "routes", workers.get_executor());
  return router;
}

}  // namespace

std::vector<PublicRoute> PublicRoutes() {
  std::vector<PublicRoute> routes;
  AddPublic("identity", IdentityRouter(), routes);
  AddPublic("catalog", CatalogRouter(), routes);
  AddPublic("stock", StockRouter(), routes);
  AddPublic("payment", PaymentRouter(), routes);
  AddPublic("order", OrderRouter(), routes);
  // Every service that consumes events; identity consumes none.
  for (const char* area : {"catalog", "stock", "payment", "order", "gateway"})
    AddPublic(area, DeadLetterRouter(), routes);
  return routes;
}

}  // namespace microstore::e2e
