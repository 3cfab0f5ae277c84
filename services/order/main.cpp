// microstore-order: orders (a customer places, reads, lists and cancels them; an operator sees
// all), priced from its copy of the catalogue, moved through the checkout saga by stock's and
// payment's events, with OrderCreated/OrderStatusChanged/OrderCancelled relayed from the outbox.
#include "order/api/events.hpp"
#include "order/api/routes.hpp"
#include "order/infra/migrations.hpp"
#include "platform/runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  runtime::Service service({.name = "order",
                            .default_port = 8083,
                            .migrations = &order::Migrations(),
                            .publishes = true,
                            .consumes = true},
                           argc, argv);
  order::api::RegisterRoutes(service.Router(), service.Database(), service.Outbox());
  service.Consume(order::api::EventHandlers(service.Outbox()));
  return service.Run();
}
