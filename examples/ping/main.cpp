#include "api.hpp"
#include "embedded_migrations.hpp"
#include "platform/runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  runtime::Service service({.name = "ping", .default_port = 8090, .migrations = &microstore_ping_migrations()}, argc,
                           argv);
  ping::RegisterRoutes(service.Router(), service.Database());
  return service.Run();
}
