// microstore-catalog: products (ADMIN creates, edits and archives; anyone lists, searches and
// reads), with ProductCreated/Updated/PriceChanged/Archived events relayed from the outbox, and
// availability from stock's StockLevelChanged.
#include "catalog/api/events.hpp"
#include "catalog/api/routes.hpp"
#include "catalog/infra/migrations.hpp"
#include "platform/runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  runtime::Service service(
      {.name = "catalog", .default_port = 8082, .migrations = &catalog::Migrations(), .publishes = true,
       .consumes = true},
      argc, argv);
  catalog::api::RegisterRoutes(service.Router(), service.Database(), service.Outbox());
  service.Consume(catalog::api::EventHandlers());
  return service.Run();
}
