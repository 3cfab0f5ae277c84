// microstore-payment: a billing account per customer (deposits, charges, refunds in an append-only
// ledger) and the payment step of the checkout saga: StockReserved → PaymentSucceeded or
// PaymentFailed, OrderCancelled → PaymentRefunded, relayed from the outbox.
#include "payment/api/routes.hpp"
#include "payment/infra/event_handlers.hpp"
#include "payment/infra/migrations.hpp"
#include "payment/infra/settings.hpp"
#include "platform/runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  runtime::Service service({.name = "payment",
                            .default_port = 8085,
                            .migrations = &payment::Migrations(),
                            .publishes = true,
                            .consumes = true},
                           argc, argv);
  const payment::Settings settings = payment::ReadSettings(service.Env(), service.NodeId());
  for (auto& subscription : payment::EventSubscriptions(settings)) {
    service.Consume(subscription.producer, subscription.type, std::move(subscription.handler));
  }
  payment::RegisterRoutes(service.Router(), service.Database(), settings);
  return service.Run();
}
