// microstore-order: orders (a customer places, reads, lists and cancels them; an operator sees
// all), priced from its copy of the catalogue, moved through the checkout saga by stock's and
// payment's events, with OrderCreated/OrderStatusChanged/OrderCancelled relayed from the outbox.
#include "order/api/events.hpp"
#include "order/api/routes.hpp"
#include "order/app/intake.hpp"
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
  order::Intake intake(
      service.Database(),
      {.max_in_flight = service.Env().Int("MICROSTORE_ORDER_MAX_IN_FLIGHT", 200, 0, 1'000'000,
                                          "orders PENDING or RESERVED beyond which new orders get 503 (0: no bound)"),
       .recount = service.Env().Duration("MICROSTORE_ORDER_RECOUNT", std::chrono::milliseconds(50),
                                         "how often the orders in flight are counted")});
  service.OnReady([&intake] { intake.Start(); });
  service.OnStop([&intake] { intake.Stop(); });
  order::api::RegisterRoutes(service.Router(), service.Database(), service.Outbox(), intake);
  service.Consume(order::api::EventHandlers(service.Outbox()));
  return service.Run();
}
