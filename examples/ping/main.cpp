// microstore-ping: the smallest service built on the platform, and the template a new service is
// copied from (docs/adding-a-service.md). The HTTP benchmark measures it; the process tests start,
// kill and restart it. main() is wiring only.
#include "ping/api/routes.hpp"
#include "ping/infra/migrations.hpp"
#include "platform/runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  runtime::Service service({.name = "ping", .default_port = 8090, .migrations = &ping::Migrations()}, argc, argv);
  ping::api::RegisterRoutes(service.Router(), service.Database());
  return service.Run();
}
