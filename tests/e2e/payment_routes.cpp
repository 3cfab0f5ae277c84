// Payment's route table, built by its own RegisterRoutes; the pool never connects.
#include <boost/asio/io_context.hpp>

#include "payment/api/routes.hpp"
#include "platform/pg/pool.hpp"
#include "routes.hpp"

namespace microstore::e2e {

http::Router PaymentRouter() {
  boost::asio::io_context io;
  pg::Pool pool(io.get_executor(), {.conninfo = "postgresql://unused"});
  http::Router router;
  payment::api::RegisterRoutes(router, pool, payment::Settings{});
  return router;
}

}  // namespace microstore::e2e
