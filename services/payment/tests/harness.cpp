#include "harness.hpp"

#include "payment/api/events.hpp"
#include "payment/api/routes.hpp"
#include "payment/infra/migrations.hpp"
#include "platform/core/ids.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/testing/inbox.hpp"

namespace microstore::payment::testing {

using microstore::testing::ProducedEvent;

namespace {

// Handlers of concurrent deliveries run on this many database connections.
constexpr std::size_t kInboxConnections = 8;

const Settings kSettings{.currency = kCurrency};

const messaging::Outbox& TestOutbox() {
  static const messaging::Outbox outbox("payment", "payment-test-node");
  return outbox;
}

std::vector<messaging::EventSubscription> Subscriptions() {
  return api::EventHandlers(TestOutbox(), kSettings);
}

}  // namespace

messaging::Envelope UserRegistered(const std::string& user_id, std::vector<std::string> roles) {
  return ProducedEvent("identity", "UserRegistered", {"user", user_id, 1, "ACTIVE"},
                       {{"user_id", user_id},
                        {"email", "someone@example.com"},
                        {"first_name", "Anna"},
                        {"last_name", "Petrova"},
                        {"roles", roles}});
}

messaging::Envelope StockReserved(const std::string& order_id, const std::string& customer_id,
                                  std::int64_t total_minor, const std::string& currency,
                                  std::int64_t order_version) {
  return ProducedEvent("stock", "StockReserved", {"reservation", order_id, 1, "BOOKED"},
                       {{"order_id", order_id},
                        {"customer_id", customer_id},
                        {"order_version", order_version},
                        {"items", {{{"product_id", core::NewUuid()}, {"quantity", 1}}}},
                        {"total_minor", total_minor},
                        {"currency", currency}});
}

messaging::Envelope OrderCancelled(const std::string& order_id, const std::string& customer_id,
                                   std::int64_t total_minor, const std::string& currency) {
  return ProducedEvent("order", "OrderCancelled", {"order", order_id, 3, "CANCELLED"},
                       {{"order_id", order_id},
                        {"customer_id", customer_id},
                        {"reason", "customer_cancelled"},
                        {"previous_status", "PAID"},
                        {"version", 3},
                        {"items", nlohmann::json::array()},
                        {"total_minor", total_minor},
                        {"currency", currency},
                        {"cancelled_at", "2026-11-23T10:00:00.123Z"}});
}

PaymentServer::PaymentServer()
    : ServiceHarness(Migrations(), [](http::Router& router, pg::Pool& pool) {
        api::RegisterRoutes(router, pool, kSettings);
      }) {}

Reply PaymentServer::GetAs(const std::string& target, const std::string& subject, auth::RoleSet roles) {
  return Get(target, {Bearer(subject, roles)});
}

Reply PaymentServer::Deposit(const std::string& customer, std::int64_t amount_minor,
                             const std::string& idempotency_key) {
  return Post("/api/v1/accounts/me/deposits", {{"amount_minor", amount_minor}},
              {Bearer(customer, {auth::Role::kCustomer}), "Idempotency-Key: " + idempotency_key});
}

amqp::Outcome PaymentServer::Deliver(const messaging::Envelope& event) {
  return DeliverConcurrently({event}).at(0);
}

std::vector<amqp::Outcome> PaymentServer::DeliverConcurrently(
    const std::vector<messaging::Envelope>& events) {
  return microstore::testing::DeliverConcurrentlyThroughInbox(DatabaseUrl(), "payment", Subscriptions(),
                                                              events, kInboxConnections);
}

std::int64_t PaymentServer::Balance(const std::string& customer) const {
  const std::string value =
      Sql("SELECT coalesce((SELECT balance_minor FROM accounts WHERE customer_id = '" + customer + "'), -1)");
  return std::stoll(value);
}

}  // namespace microstore::payment::testing
