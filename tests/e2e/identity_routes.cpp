// Identity's route table, built by its own RegisterRoutes. Nothing here runs a handler or touches
// the database: the pool never connects.
#include <boost/asio/io_context.hpp>

#include "identity/api/routes.hpp"
#include "identity/app/authority.hpp"
#include "platform/auth/keys.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"
#include "routes.hpp"

namespace microstore::e2e {

http::Router IdentityRouter() {
  boost::asio::io_context io;
  pg::Pool pool(io.get_executor(), {.conninfo = "postgresql://unused"});
  const messaging::Outbox outbox("identity", "routes");
  const auto keys = auth::GenerateKeyPair("routes");
  auto signer = auth::Signer::FromConfig(keys.key_id + ":" + keys.seed);
  const identity::Authority authority(io.get_executor(), std::move(std::get<auth::Signer>(signer)),
                                      identity::InteractivePasswordCost(), {});
  http::Router router;
  identity::api::RegisterRoutes(router, pool, outbox, authority, nullptr);
  return router;
}

}  // namespace microstore::e2e
