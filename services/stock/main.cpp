// microstore-stock: stock levels per product and reservations per order. Reserves an order's
// stock on OrderCreated (all or none, never overselling), releases it on PaymentFailed or
// OrderCancelled, opens an item on catalog's ProductCreated; STOCK_OPERATOR restocks and adjusts.
#include "api/routes.hpp"
#include "infra/event_handlers.hpp"
#include "infra/migrations.hpp"
#include "runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  runtime::Service service({.name = "stock",
                            .default_port = 8084,
                            .migrations = &stock::Migrations(),
                            .publishes = true,
                            .consumes = true},
                           argc, argv);
  for (auto& subscription : stock::EventSubscriptions(service.NodeId())) {
    service.Consume(subscription.producer, subscription.type, subscription.handler);
  }
  stock::RegisterRoutes(service.Router(), service.Database(), service.NodeId());
  return service.Run();
}
