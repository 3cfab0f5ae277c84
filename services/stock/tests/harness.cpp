#include "harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "platform/core/ids.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/testing/inbox.hpp"
#include "stock/api/events.hpp"
#include "stock/api/routes.hpp"
#include "stock/infra/migrations.hpp"

namespace microstore::stock::testing {

using microstore::testing::ProducedEvent;

namespace {

// Outlives every harness: the routes and handlers hold it.
const messaging::Outbox& TestOutbox() {
  static const messaging::Outbox outbox("stock", kNodeId);
  return outbox;
}

}  // namespace

StockHarness::StockHarness()
    : ServiceHarness(Migrations(),
                     [](http::Router& router, pg::Pool& pool) { api::RegisterRoutes(router, pool, TestOutbox()); },
                     {.subject = "operator-1"}) {}

Reply StockHarness::Post(const std::string& target, const nlohmann::json& body, auth::RoleSet roles,
                         std::vector<std::string> headers) {
  headers.push_back(Bearer(roles));
  return Post(target, body, std::move(headers));
}

std::vector<amqp::Outcome::Kind> StockHarness::Deliver(const std::vector<messaging::Envelope>& events) {
  return microstore::testing::DeliverThroughInbox(DatabaseUrl(), "stock", api::EventHandlers(TestOutbox()),
                                                  events);
}

std::vector<amqp::Outcome::Kind> StockHarness::DeliverConcurrently(
    const std::vector<messaging::Envelope>& events, std::size_t connections) {
  std::vector<amqp::Outcome::Kind> kinds;
  for (const auto& outcome : microstore::testing::DeliverConcurrentlyThroughInbox(
           DatabaseUrl(), "stock", api::EventHandlers(TestOutbox()), events, connections)) {
    kinds.push_back(outcome.kind);
  }
  return kinds;
}

void StockHarness::AddProduct(const std::string& product_id, std::int64_t free) {
  ASSERT_EQ(Outcomes(Deliver({ProductCreatedEvent(product_id)})), "ack");
  if (free == 0) return;
  const Reply reply = Post("/api/v1/items/" + product_id + "/restock",
                           {{"quantity", free}, {"reason", "initial"}}, {auth::Role::kStockOperator});
  ASSERT_EQ(reply.status, 200) << reply.text;
}

messaging::Envelope ProductCreatedEvent(const std::string& product_id) {
  return ProducedEvent("catalog", "ProductCreated", {"product", product_id, 1, "ACTIVE"},
                       {{"product_id", product_id},
                        {"sku", "SKU-" + product_id.substr(30)},
                        {"name", "Product " + product_id.substr(30)},
                        {"description", ""},
                        {"photo_url", nullptr},
                        {"price_minor", 10000},
                        {"currency", "RUB"},
                        {"weight_grams", 0},
                        {"dimensions_mm", {{"length", 0}, {"width", 0}, {"height", 0}}},
                        {"tags", nlohmann::json::array()},
                        {"on_promotion", false},
                        {"archived", false},
                        {"version", 1},
                        {"created_at", "2026-11-23T10:00:00.000Z"},
                        {"updated_at", "2026-11-23T10:00:00.000Z"}});
}

messaging::Envelope OrderCreatedEvent(const std::string& order_id, const std::vector<OrderLine>& lines,
                                      const std::string& customer_id) {
  nlohmann::json items = nlohmann::json::array();
  std::int64_t total = 0;
  for (const auto& line : lines) {
    items.push_back({{"product_id", line.product_id},
                     {"sku", "SKU-" + line.product_id.substr(30)},
                     {"name", "Product"},
                     {"quantity", line.quantity},
                     {"unit_price_minor", 10000},
                     {"line_total_minor", 10000 * line.quantity}});
    total += 10000 * line.quantity;
  }
  return ProducedEvent("order", "OrderCreated", {"order", order_id, 1, "PENDING"},
                       {{"order_id", order_id},
                        {"customer_id", customer_id},
                        {"items", items},
                        {"total_minor", total},
                        {"currency", "RUB"},
                        {"created_at", "2026-11-23T10:00:00.000Z"}});
}

messaging::Envelope OrderCancelledEvent(const std::string& order_id, const std::string& customer_id) {
  return ProducedEvent("order", "OrderCancelled", {"order", order_id, 3, "CANCELLED"},
                       {{"order_id", order_id},
                        {"customer_id", customer_id},
                        {"reason", "customer_cancelled"},
                        {"previous_status", "RESERVED"},
                        {"version", 3},
                        {"items", nlohmann::json::array()},
                        {"total_minor", 0},
                        {"currency", "RUB"},
                        {"cancelled_at", "2026-11-23T10:00:00.000Z"}});
}

messaging::Envelope PaymentFailedEvent(const std::string& order_id, const std::string& customer_id) {
  return ProducedEvent("payment", "PaymentFailed", {"payment", order_id, 1, "FAILED"},
                       {{"order_id", order_id},
                        {"customer_id", customer_id},
                        {"payment_id", core::NewUuid()},
                        {"amount_minor", 10000},
                        {"currency", "RUB"},
                        {"order_version", 2},
                        {"reason", "insufficient_funds"}});
}

namespace {

const char* NameOf(amqp::Outcome::Kind kind) {
  switch (kind) {
    case amqp::Outcome::Kind::kAck:
      return "ack";
    case amqp::Outcome::Kind::kRetry:
      return "retry";
    case amqp::Outcome::Kind::kDeadLetter:
      return "dead_letter";
  }
  return "?";
}

}  // namespace

std::string Outcomes(const std::vector<amqp::Outcome::Kind>& outcomes) {
  std::string text;
  for (const auto kind : outcomes) text += (text.empty() ? "" : " ") + std::string(NameOf(kind));
  return text;
}

std::string Tally(const std::vector<amqp::Outcome::Kind>& outcomes) {
  std::string text;
  for (const auto kind :
       {amqp::Outcome::Kind::kAck, amqp::Outcome::Kind::kRetry, amqp::Outcome::Kind::kDeadLetter}) {
    const auto n = std::count(outcomes.begin(), outcomes.end(), kind);
    if (n > 0) text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + NameOf(kind);
  }
  return text;
}

std::string Id(char prefix, int n) {
  char suffix[13];
  std::snprintf(suffix, sizeof suffix, "%012d", n);
  return std::string(8, prefix) + "-0000-4000-8000-" + suffix;
}

}  // namespace microstore::stock::testing
