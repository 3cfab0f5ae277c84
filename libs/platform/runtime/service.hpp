#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "platform/config/env.hpp"
#include "platform/http/router.hpp"
#include "platform/migrations/migration.hpp"

namespace microstore::auth {
class Verifier;
}
namespace microstore::pg {
class Pool;
class Transaction;
}
namespace microstore::messaging {
struct Envelope;
struct EventSubscription;
class Outbox;
}

// The part of every service that is not its domain. A service's main() is wiring only:
//
//   runtime::Service service({.name = "order", .default_port = 8083, .migrations = &order_migrations()},
//                            argc, argv);
//   auto& db = service.Database();
//   order::RegisterRoutes(service.Router(), db);
//   return service.Run();
//
// Run() validates the configuration (all errors at once, naming each variable; exit code 2),
// starts JSON logging, serves HTTP with /health/live, /health/ready and /metrics, applies the
// service's migrations (retrying while the database is unreachable; an edited migration stops
// the service with exit code 1), and on SIGTERM or SIGINT requests StopToken(), stops accepting,
// finishes requests in flight (for at most MICROSTORE_SHUTDOWN_GRACE; handlers still running
// then are abandoned), runs the stop hooks and returns 0. Should the whole shutdown take longer
// than MICROSTORE_STOP_TIMEOUT, a watchdog logs an error and ends the process at once with exit
// code 1: like a crash, which the outbox and the inbox make harmless.
namespace microstore::runtime {

struct ServiceSpec {
  std::string name;
  std::uint16_t default_port = 8080;
  // The service's schema; null for a service without a database.
  const std::vector<migrations::Migration>* migrations = nullptr;
  // The service uses the outbox or inbox: its database also gets messaging::Migrations()
  // (component "messaging"), applied before its own. Implies a database.
  bool messaging = false;
  // The service talks to RabbitMQ: MICROSTORE_AMQP_URL is required and checked with the rest of
  // the configuration (BrokerUrl()).
  bool broker = false;
  // The service emits events through the outbox: once migrated, Run() relays them to the exchange
  // microstore.<name> (amqp::Publisher with confirms + messaging::OutboxRelay, LISTENing on a
  // connection of its own), stops the relay on shutdown, and adds a readiness check "broker".
  // Implies messaging and broker.
  bool publishes = false;
  // The service reacts to other services' events (Consume): once migrated, Run() consumes the
  // queue microstore.<name> bound to every registered (producer, type) through a messaging::Inbox
  // (de-duplication, retries, dead letters), serves the dead-letter routes
  // (messaging/dead_letters.hpp) and adds a readiness check "consumer". Implies messaging and broker.
  bool consumes = false;
  // With consumes: Run() serves the dead-letter routes under /api/v1. False for a service that
  // registers them itself (the gateway, whose /api/v1 belongs to the services behind it).
  bool dead_letter_routes = true;
};

// Applies one event inside the inbox's transaction (messaging::EventHandler; see messaging/inbox.hpp
// for what a throw means).
using EventHandler =
    std::function<boost::asio::awaitable<void>(pg::Transaction& transaction, const messaging::Envelope& event)>;

// Answers nullopt when healthy, otherwise the reason it is not ready.
using ReadinessCheck = std::function<boost::asio::awaitable<std::optional<std::string>>()>;

class Service {
 public:
  Service(ServiceSpec spec, int argc, char** argv);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // For the service's own settings; read them before Run().
  config::Env& Env();
  boost::asio::io_context& Io();
  http::Router& Router();
  // The database pool (connects lazily). Only for a spec with migrations or messaging.
  pg::Pool& Database();
  // A small bounded thread pool (MICROSTORE_WORKER_THREADS) for blocking or CPU-heavy work that
  // must stay off the event loop; reach it with async::Offload (async/offload.hpp). Created
  // on first use; stopped after the event loop on shutdown.
  boost::asio::any_io_executor Workers();
  // The database's libpq URI (MICROSTORE_DB_URL); empty for a service without a database.
  const std::string& DatabaseUrl() const;
  // MICROSTORE_AMQP_URL; empty unless the spec says broker or publishes.
  const std::string& BrokerUrl() const;
  // Requested as soon as the service starts stopping (a signal, or migrations refused), before
  // requests in flight are drained. Long work checks it and ends early, answering what it did —
  // above all blocking loops on Workers(), which the shutdown has to wait for.
  std::stop_token StopToken() const;
  // "<name>-<host>-<pid>": this process in the events it emits (Envelope::node_id) and in logs.
  const std::string& NodeId() const;
  // The service's outbox: producer = the spec's name (so its events go to the exchange the relay
  // publishes to), this NodeId() and the wall clock. Only for a spec that publishes (throws
  // std::logic_error otherwise).
  const messaging::Outbox& Outbox() const;
  // The token verifier; null when MICROSTORE_JWT_PUBLIC_KEYS is not set (then no route may
  // require a token, which Run() checks).
  const auth::Verifier* Verifier() const;

  // Handles events `type` published by `producer` (spec.consumes; register before Run()). Throws
  // std::logic_error when the service does not consume or `type` already has a handler.
  void Consume(std::string producer, std::string type, EventHandler handler);
  // Consume for each of a service's subscriptions (its api/events.cpp EventHandlers()).
  void Consume(std::vector<messaging::EventSubscription> subscriptions);

  void AddReadinessCheck(std::string name, ReadinessCheck check);
  // Runs after HTTP has drained on shutdown, latest registered first.
  void OnStop(std::function<void()> hook);
  // Runs once the database is migrated (or at once for a service without one), before the
  // service reports ready: start consumers, relays and timers here.
  void OnReady(std::function<void()> hook);

  // Runs until stopped; returns the process exit code.
  int Run();

  struct State;  // defined in the .cpp; named here so its helpers can take it

 private:
  std::unique_ptr<State> state_;
};

}  // namespace microstore::runtime
