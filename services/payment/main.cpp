// microstore-payment: a billing account per customer (deposits, charges, refunds in an append-only
// ledger) and the payment step of the checkout saga: StockReserved → PaymentSucceeded or
// PaymentFailed, OrderCancelled → PaymentRefunded, relayed from the outbox.
#include "payment/api/events.hpp"
#include "payment/api/routes.hpp"
#include "payment/app/settings.hpp"
#include "payment/infra/migrations.hpp"
#include "platform/runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  runtime::Service service({.name = "payment",
                            .default_port = 8085,
                            .migrations = &payment::Migrations(),
                            .publishes = true,
                            .consumes = true},
                           argc, argv);
  const payment::Settings settings = payment::ReadSettings(service.Env());
  payment::api::RegisterRoutes(service.Router(), service.Database(), settings);
  service.Consume(payment::api::EventHandlers(service.Outbox(), settings));
  return service.Run();
}
