// Order's route table, built by its own RegisterRoutes; the pool never connects.
#include <boost/asio/io_context.hpp>

#include "order/api/routes.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"
#include "routes.hpp"

namespace microstore::e2e {

http::Router OrderRouter() {
  boost::asio::io_context io;
  pg::Pool pool(io.get_executor(), {.conninfo = "postgresql://unused"});
  const messaging::Outbox outbox("order", "routes");
  http::Router router;
  order::RegisterRoutes(router, pool, outbox);
  return router;
}

}  // namespace microstore::e2e
