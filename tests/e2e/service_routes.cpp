// The services' route tables, each built by the service's own RegisterRoutes. Nothing here runs a
// handler, touches a database or appends to an outbox: the pools never connect, and the outboxes
// only have to outlive the call that registers the routes.
#include <boost/asio/io_context.hpp>
#include <string>

#include "catalog/api/routes.hpp"
#include "identity/api/routes.hpp"
#include "identity/app/authority.hpp"
#include "order/api/routes.hpp"
#include "order/app/intake.hpp"
#include "payment/api/routes.hpp"
#include "platform/auth/keys.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"
#include "routes.hpp"
#include "stock/api/routes.hpp"

namespace microstore::e2e {
namespace {

// A pool that never connects, for route tables only.
struct Unused {
  boost::asio::io_context io;
  pg::Pool pool{io.get_executor(), {.conninfo = "postgresql://unused"}};
};

// The route table of a service whose RegisterRoutes takes a pool and its outbox.
using RegisterWithOutbox = void (*)(http::Router&, pg::Pool&, const messaging::Outbox&);
http::Router RoutesWithOutbox(const std::string& service, RegisterWithOutbox register_routes) {
  Unused unused;
  const messaging::Outbox outbox(service, "routes");
  http::Router router;
  register_routes(router, unused.pool, outbox);
  return router;
}

}  // namespace

http::Router IdentityRouter() {
  Unused unused;
  const messaging::Outbox outbox("identity", "routes");
  const auto keys = auth::GenerateKeyPair("routes");
  auto signer = auth::Signer::FromConfig(keys.key_id + ":" + keys.seed);
  const identity::Authority authority(unused.io.get_executor(), std::move(std::get<auth::Signer>(signer)),
                                      identity::InteractivePasswordCost(), {});
  http::Router router;
  identity::api::RegisterRoutes(router, unused.pool, outbox, authority, nullptr);
  return router;
}

http::Router CatalogRouter() { return RoutesWithOutbox("catalog", catalog::api::RegisterRoutes); }

http::Router StockRouter() { return RoutesWithOutbox("stock", stock::api::RegisterRoutes); }

http::Router PaymentRouter() {
  Unused unused;
  http::Router router;
  payment::api::RegisterRoutes(router, unused.pool, payment::Settings{});
  return router;
}

http::Router OrderRouter() {
  return RoutesWithOutbox("order", [](http::Router& router, pg::Pool& pool, const messaging::Outbox& outbox) {
    order::Intake intake(pool, {});
    order::api::RegisterRoutes(router, pool, outbox, intake);
  });
}

}  // namespace microstore::e2e
