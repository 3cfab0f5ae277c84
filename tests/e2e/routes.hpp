#pragma once

#include <string>
#include <vector>

#include "platform/auth/roles.hpp"
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"

// The route tables of the services behind the gateway, as the services themselves register them
// (their RegisterRoutes functions, linked in), plus the dead-letter routes of every consuming
// service and of the gateway itself, mapped to the public paths the gateway exposes.
// The authorization matrix and the OpenAPI check are generated from it, so a new route cannot be
// forgotten by either.
namespace microstore::e2e {

struct PublicRoute {
  std::string area;  // "identity", "catalog", …: the gateway's area, i.e. the service
  http::Method method = http::Method::kGet;
  std::string path;  // "/api/v1/catalog/products/{id}"
  auth::Access access = auth::Access::Public();
};

std::vector<PublicRoute> PublicRoutes();

// Each service's router as its RegisterRoutes builds it (service_routes.cpp). Only the route
// table is meant to be read: the handlers refer to objects that are gone.
http::Router IdentityRouter();
http::Router CatalogRouter();
http::Router StockRouter();
http::Router PaymentRouter();
http::Router OrderRouter();

}  // namespace microstore::e2e
