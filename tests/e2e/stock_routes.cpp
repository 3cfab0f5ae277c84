// Stock's route table, built by its own RegisterRoutes; the pool never connects and nothing is
// appended to the outbox.
#include <boost/asio/io_context.hpp>

#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"
#include "routes.hpp"
#include "stock/api/routes.hpp"

namespace microstore::e2e {

http::Router StockRouter() {
  boost::asio::io_context io;
  pg::Pool pool(io.get_executor(), {.conninfo = "postgresql://unused"});
  const messaging::Outbox outbox("stock", "routes");
  http::Router router;
  stock::RegisterRoutes(router, pool, outbox);
  return router;
}

}  // namespace microstore::e2e
