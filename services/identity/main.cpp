// microstore-identity: users, passwords, roles, tokens and customer profiles.
#include "identity/api/routes.hpp"
#include "identity/app/admin_bootstrap.hpp"
#include "identity/app/authority.hpp"
#include "identity/infra/config.hpp"
#include "identity/infra/schema.hpp"
#include "identity/infra/token_store.hpp"
#include "platform/runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  namespace asio = boost::asio;
  using namespace std::chrono_literals;

  runtime::Service service(
      {.name = "identity", .default_port = 8081, .migrations = &identity::Migrations(), .publishes = true},
      argc, argv);
  identity::Config config = identity::ReadConfig(service.Env(), service.Verifier());
  // Run() prints --help, or the configuration problems and exits with 2.
  if (identity::AskedForHelp(argc, argv) || !config.complete) return service.Run();

  const identity::Authority authority(service.Workers(), std::move(*config.signer), config.password_cost,
                                      config.tokens);
  identity::api::RegisterRoutes(service.Router(), service.Database(), service.Outbox(), authority,
                                service.Verifier());

  identity::TokenCleanup cleanup(service.Io().get_executor(), service.Database(), 10min, 24h);
  identity::AdminBootstrap bootstrap(service.Io().get_executor(), service.Database(), service.Outbox(),
                                     authority, config.admin);

  service.OnReady([&] {
    cleanup.Start();
    bootstrap.Start();
  });
  service.OnStop([&] {
    bootstrap.Stop();
    cleanup.Stop();
  });
  service.AddReadinessCheck("admin", [&bootstrap]() -> asio::awaitable<std::optional<std::string>> {
    if (bootstrap.Done()) co_return std::nullopt;
    co_return "the configured admin account is not ensured yet";
  });
  return service.Run();
}
