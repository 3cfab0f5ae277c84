#include "harness.hpp"

#include <gtest/gtest.h>

#include "order/api/events.hpp"
#include "order/api/routes.hpp"
#include "order/app/intake.hpp"
#include "order/infra/migrations.hpp"
#include "platform/messaging/outbox.hpp"

namespace microstore::order::testing {
namespace {

// The routes and the handlers emit as this process would (node "order-test-node").
const messaging::Outbox& TestOutbox() {
  static const messaging::Outbox outbox("order", "order-test-node");
  return outbox;
}

}  // namespace

OrderServer::OrderServer(std::int64_t max_in_flight)
    : ServiceHarness(Migrations(), [this, max_in_flight](http::Router& router, pg::Pool& pool) {
        intake = std::make_unique<Intake>(pool, IntakeOptions{.max_in_flight = max_in_flight});
        api::RegisterRoutes(router, pool, TestOutbox(), *intake);
      }) {}

OrderServer::~OrderServer() = default;

Reply OrderServer::PlaceOrder(const std::string& customer_id, const nlohmann::json& body,
                              const std::string& key, std::vector<std::string> headers) {
  headers.push_back(Bearer(customer_id, {auth::Role::kCustomer}));
  headers.push_back("Idempotency-Key: " + key);
  return Post("/api/v1/orders", body, std::move(headers));
}

Reply OrderServer::GetAs(const std::string& subject, auth::RoleSet roles, const std::string& target) {
  return Get(target, {Bearer(subject, roles)});
}

Reply OrderServer::PostAs(const std::string& subject, auth::RoleSet roles, const std::string& target) {
  return Send("POST", target, "", {Bearer(subject, roles)});
}

std::vector<amqp::Outcome::Kind> OrderServer::Deliver(const std::vector<messaging::Envelope>& events) {
  return microstore::testing::DeliverThroughInbox(DatabaseUrl(), "order", api::EventHandlers(TestOutbox()), events);
}

void OrderServer::AddProduct(const std::string& product_id, const std::string& sku, std::int64_t price_minor,
                             const std::string& currency, std::int64_t version) {
  const auto outcomes =
      Deliver({ProductEvent("ProductCreated", product_id, sku, price_minor, currency, version)});
  ASSERT_EQ(outcomes, std::vector<amqp::Outcome::Kind>{amqp::Outcome::Kind::kAck});
}

messaging::Envelope ProductEvent(const std::string& type, const std::string& product_id,
                                 const std::string& sku, std::int64_t price_minor,
                                 const std::string& currency, std::int64_t version, bool archived) {
  return ProducedEvent("catalog", type, {"product", product_id, version, archived ? "ARCHIVED" : "ACTIVE"},
                       {{"product_id", product_id},
                        {"sku", sku},
                        {"name", "Product " + sku},
                        {"description", ""},
                        {"photo_url", nullptr},
                        {"price_minor", price_minor},
                        {"currency", currency},
                        {"weight_grams", 100},
                        {"dimensions_mm", {{"length", 1}, {"width", 1}, {"height", 1}}},
                        {"tags", nlohmann::json::array()},
                        {"on_promotion", false},
                        {"archived", archived},
                        {"version", version},
                        {"created_at", "2026-11-23T10:00:00.000Z"},
                        {"updated_at", "2026-11-23T10:00:00.000Z"}});
}

nlohmann::json OrderBody(const std::vector<std::pair<std::string, int>>& lines) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& [product_id, quantity] : lines)
    items.push_back({{"product_id", product_id}, {"quantity", quantity}});
  return {{"items", std::move(items)}};
}

}  // namespace microstore::order::testing
