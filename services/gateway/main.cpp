// microstore-gateway: the one public port (see api/routes.hpp for what it serves).
#include <optional>

#include "amqp/consumer.hpp"
#include "api/config.hpp"
#include "api/gateway.hpp"
#include "api/routes.hpp"
#include "domain/revocations.hpp"
#include "infra/migrations.hpp"
#include "infra/revocation_events.hpp"
#include "infra/revocation_sync.hpp"
#include "messaging/dead_letters.hpp"
#include "messaging/inbox.hpp"
#include "runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  runtime::Service service(
      {.name = "gateway", .default_port = 8080, .migrations = &gateway::Migrations(), .messaging = true,
       .broker = true},
      argc, argv);
  auto& env = service.Env();
  gateway::GatewayConfig config = gateway::ReadConfig(env);
  const std::string& amqp_url = service.BrokerUrl();
  if (service.Verifier() == nullptr) {
    env.Reject("MICROSTORE_JWT_PUBLIC_KEYS", "must be set: the gateway verifies every bearer token");
  }
  amqp::BrokerAddress broker;
  std::string broker_error;
  // Run() reports a malformed URL; the consumer must not be built from one meanwhile.
  const bool broker_ok = amqp::ParseBrokerUrl(amqp_url, broker, broker_error);

  gateway::RevocationCache revocations;
  gateway::RevocationSync sync(service.Database(), revocations,
                               {.listener_conninfo = service.DatabaseUrl()});
  messaging::Inbox inbox(service.Database(), gateway::kConsumerName, {});
  gateway::RegisterRevocationHandlers(inbox);
  std::optional<amqp::Consumer> consumer;
  if (broker_ok) {
    consumer.emplace(service.Io().get_executor(),
                     amqp::ConsumerOptions{.url = amqp_url,
                                           .consumer = gateway::kConsumerName,
                                           .subscriptions = gateway::RevocationSubscriptions()},
                     inbox.Handler());
  }
  gateway::Gateway gateway(std::move(config), service.Io().get_executor(), service.Workers(),
                           service.Verifier(), revocations);

  gateway::RegisterRoutes(service.Router(), gateway);
  messaging::RegisterDeadLetterRoutes(service.Router(), amqp_url, gateway::kConsumerName, service.Workers());
  service.AddReadinessCheck("revocations", [&sync] { return sync.Readiness(); });
  service.OnReady([&] {
    sync.Start();
    inbox.Start();
    if (consumer) consumer->Start();
  });
  service.OnStop([&] {
    gateway.Stop();
    if (consumer) consumer->Stop();
    inbox.Stop();
    sync.Stop();
  });
  gateway.Start();
  return service.Run();
}
