// Catalog's route table, built by its own RegisterRoutes; the pool never connects.
#include <boost/asio/io_context.hpp>

#include "catalog/api/routes.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"
#include "routes.hpp"

namespace microstore::e2e {

http::Router CatalogRouter() {
  boost::asio::io_context io;
  pg::Pool pool(io.get_executor(), {.conninfo = "postgresql://unused"});
  static const messaging::Outbox outbox("catalog", "routes");
  http::Router router;
  catalog::RegisterRoutes(router, pool, outbox);
  return router;
}

}  // namespace microstore::e2e
