#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "order/app/intake.hpp"
#include "platform/amqp/messages.hpp"
#include "platform/auth/roles.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/testing/inbox.hpp"
#include "platform/testing/service_harness.hpp"

// The order service's routes on a testing::ServiceHarness (real HTTP on a loopback port, a fresh
// migrated database, real token verification), and its event handlers fed through a real
// messaging::Inbox on that database.
namespace microstore::order::testing {

using microstore::testing::ProducedEvent;
using microstore::testing::Reply;

// Built before the harness (a base listed first), which registers the routes that use it.
struct IntakeHolder {
  std::unique_ptr<Intake> intake;
};

class OrderServer : private IntakeHolder, public microstore::testing::ServiceHarness {
 public:
  // Admits every order unless `max_in_flight` bounds them. The intake never recounts here: it
  // counts the orders it admitted (the recount has its own test).
  explicit OrderServer(std::int64_t max_in_flight = 0);
  ~OrderServer();

  // As the customer `customer_id`: POST /api/v1/orders with the JSON body and Idempotency-Key.
  Reply PlaceOrder(const std::string& customer_id, const nlohmann::json& body, const std::string& key,
                   std::vector<std::string> headers = {});
  Reply GetAs(const std::string& subject, auth::RoleSet roles, const std::string& target);
  Reply PostAs(const std::string& subject, auth::RoleSet roles, const std::string& target);

  // Feeds events to the service's handlers (EventHandlers) through an Inbox; answers each
  // outcome.
  std::vector<amqp::Outcome::Kind> Deliver(const std::vector<messaging::Envelope>& events);
  // A product copy as catalog's ProductCreated at `version` would leave it (through Deliver).
  void AddProduct(const std::string& product_id, const std::string& sku, std::int64_t price_minor,
                  const std::string& currency = "RUB", std::int64_t version = 1);
};

// catalog's ProductCreated (or ProductUpdated) of a product with this id, sku, price and version.
messaging::Envelope ProductEvent(const std::string& type, const std::string& product_id,
                                 const std::string& sku, std::int64_t price_minor,
                                 const std::string& currency, std::int64_t version, bool archived = false);

// {"items": [{"product_id": id, "quantity": q}, …]}
nlohmann::json OrderBody(const std::vector<std::pair<std::string, int>>& lines);

}  // namespace microstore::order::testing
