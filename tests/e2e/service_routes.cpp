// The services' route tables, each built by the service's own RegisterRoutes. Nothing here runs a
// handler, touches a database or appends to an outbox: the pools never connect, and the outboxes
// only have to outlive the call that registers the routes.
#include <boost/asio/io_context.hpp>

#include "catalog/api/routes.hpp"
#include "identity/api/routes.hpp"
#include "identity/app/authority.hpp"
#include "order/api/routes.hpp"
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

http::Router CatalogRouter() {
  Unused unused;
  const messaging::Outbox outbox("catalog", "routes");
  http::Router router;
  catalog::api::RegisterRoutes(router, unused.pool, outbox);
  return router;
}

http::Router StockRouter() {
  Unused unused;
  const messaging::Outbox outbox("stock", "routes");
  http::Router router;
  stock::api::RegisterRoutes(router, unused.pool, outbox);
  return router;
}

http::Router PaymentRouter() {
  Unused unused;
  http::Router router;
  payment::api::RegisterRoutes(router, unused.pool, payment::Settings{});
  return router;
}

http::Router OrderRouter() {
  Unused unused;
  const messaging::Outbox outbox("order", "routes");
  http::Router router;
  order::api::RegisterRoutes(router, unused.pool, outbox);
  return router;
}

}  // namespace microstore::e2e
