// microstore-gateway: the one public port (see api/routes.hpp for what it serves).
#include <optional>

#include "gateway/api/events.hpp"
#include "gateway/api/rate_limiting.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/api/static_site.hpp"
#include "gateway/api/upstream_client.hpp"
#include "gateway/app/health_probe.hpp"
#include "gateway/app/revocation_sync.hpp"
#include "gateway/app/upstream_pool.hpp"
#include "gateway/config.hpp"
#include "gateway/domain/revocations.hpp"
#include "gateway/infra/migrations.hpp"
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
  const gateway::GatewayConfig config = gateway::ReadConfig(env);
  if (service.Verifier() == nullptr) {
    env.Reject("MICROSTORE_JWT_PUBLIC_KEYS", "must be set: the gateway verifies every bearer token");
  }

  gateway::RevocationCache revocations;
  gateway::RevocationSync sync(service.Database(), revocations, {.listener_conninfo = service.DatabaseUrl()});
  service.Consume(gateway::api::EventHandlers());

  const auto io = service.Io().get_executor();
  gateway::UpstreamPool upstream_pool(config.areas);
  gateway::HealthProbe health_probe(io, upstream_pool,
                                    {.interval = config.health_interval,
                                     .connect_timeout = config.connect_timeout,
                                     .answer_timeout = config.upstream_timeout});
  gateway::api::UpstreamClient upstreams(io, upstream_pool,
                                         {.connect_timeout = config.connect_timeout,
                                          .upstream_timeout = config.upstream_timeout,
                                          .retry_after = config.health_interval});
  gateway::api::RateLimiting rate_limiting(config.rate_limit, config.rate_burst);
  std::optional<gateway::api::StaticSite> site;
  if (!config.static_dir.empty()) site.emplace(config.static_dir, service.Workers());

  http::Router own;
  messaging::RegisterDeadLetterRoutes(own, service.BrokerUrl(), "gateway", service.Workers(),
                                      service.StopToken(), "/api/v1/gateway");
  gateway::api::RegisterRoutes(service.Router(),
                               {.cors = config.cors,
                                .verifier = service.Verifier(),
                                .revocations = revocations,
                                .rate_limiting = rate_limiting,
                                .upstreams = upstreams,
                                .site = site ? &*site : nullptr},
                               own);
  service.AddReadinessCheck("revocations", [&sync] { return sync.Readiness(); });
  service.OnReady([&] { sync.Start(); });
  service.OnStop([&] {
    health_probe.Stop();
    sync.Stop();
  });
  health_probe.Start();
  return service.Run();
}
