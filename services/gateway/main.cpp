// microstore-gateway: the one public port (see api/routes.hpp for what it serves).
#include "gateway/api/config.hpp"
#include "gateway/api/gateway.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/domain/revocations.hpp"
#include "gateway/infra/migrations.hpp"
#include "gateway/infra/revocation_events.hpp"
#include "gateway/infra/revocation_sync.hpp"
#include "platform/messaging/dead_letters.hpp"
#include "platform/runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  runtime::Service service(
      {.name = "gateway",
       .default_port = 8080,
       .migrations = &gateway::Migrations(),
       .consumes = true,
       .dead_letter_routes = false},  // its /api/v1 is the services'; its own are registered below
      argc, argv);
  auto& env = service.Env();
  gateway::GatewayConfig config = gateway::ReadConfig(env);
  if (service.Verifier() == nullptr) {
    env.Reject("MICROSTORE_JWT_PUBLIC_KEYS", "must be set: the gateway verifies every bearer token");
  }
  gateway::RevocationCache revocations;
  gateway::RevocationSync sync(service.Database(), revocations,
                               {.listener_conninfo = service.DatabaseUrl()});
  for (auto& subscription : gateway::RevocationSubscriptions()) {
    service.Consume(subscription.producer, subscription.type, subscription.handler);
  }
  gateway::Gateway gateway(std::move(config), service.Io().get_executor(), service.Workers(),
                           service.Verifier(), revocations);

  http::Router own;
  messaging::RegisterDeadLetterRoutes(own, service.BrokerUrl(), "gateway", service.Workers(),
                                      service.StopToken(), "/api/v1/gateway");
  gateway::RegisterRoutes(service.Router(), gateway, own);
  service.AddReadinessCheck("revocations", [&sync] { return sync.Readiness(); });
  service.OnReady([&] { sync.Start(); });
  service.OnStop([&] {
    gateway.Stop();
    sync.Stop();
  });
  gateway.Start();
  return service.Run();
}
