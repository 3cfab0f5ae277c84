// microstore-catalog: products (ADMIN creates, edits and archives; anyone lists, searches and
// reads), with ProductCreated/Updated/PriceChanged/Archived events relayed from the outbox.
#include "api/routes.hpp"
#include "infra/migrations.hpp"
#include "runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  runtime::Service service(
      {.name = "catalog", .default_port = 8082, .migrations = &catalog::Migrations(), .publishes = true}, argc, argv);
  catalog::RegisterRoutes(service.Router(), service.Database(), service.NodeId());
  return service.Run();
}
