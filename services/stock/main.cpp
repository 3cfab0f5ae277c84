// microstore-stock: stock levels per product and reservations per order. Reserves an order's
// stock on OrderCreated (all or none, never overselling), releases it on PaymentFailed or
// OrderCancelled, opens an item on catalog's ProductCreated; STOCK_OPERATOR restocks and adjusts.
#include "platform/runtime/service.hpp"
#include "stock/api/events.hpp"
#include "stock/api/routes.hpp"
#include "stock/infra/migrations.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  runtime::Service service({.name = "stock",
                            .default_port = 8084,
                            .migrations = &stock::Migrations(),
                            .publishes = true,
                            .consumes = true},
                           argc, argv);
  stock::api::RegisterRoutes(service.Router(), service.Database(), service.Outbox());
  service.Consume(stock::api::EventHandlers(service.Outbox()));
  return service.Run();
}
