#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "amqp/messages.hpp"
#include "auth/roles.hpp"
#include "messaging/envelope.hpp"

// The order service's routes served over real HTTP on a loopback port, backed by a fresh migrated
// database on the test cluster (MICROSTORE_TEST_PG_URL), with real token verification; and its
// event handlers fed through a real messaging::Inbox on that database. Requests are blocking,
// from the test's thread; the server runs on a thread of its own.
namespace microstore::order::testing {

struct Reply {
  int status = 0;
  nlohmann::json body;                         // parsed when the body is JSON, else null
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string text;

  std::string Header(const std::string& name) const;
};

struct StoredEvent {
  std::string type;
  nlohmann::json envelope;
};

class OrderServer {
 public:
  OrderServer();
  ~OrderServer();
  OrderServer(const OrderServer&) = delete;
  OrderServer& operator=(const OrderServer&) = delete;

  // `headers` are added as they are ("Name: value" lines without CRLF).
  Reply Send(const std::string& method, const std::string& target, const std::string& body = "",
             const std::vector<std::string>& headers = {});
  // A token of `subject` holding `roles`, as an Authorization header line.
  std::string Bearer(const std::string& subject, auth::RoleSet roles) const;

  // As the customer `customer_id`: POST /api/v1/orders with the JSON body and Idempotency-Key.
  Reply PlaceOrder(const std::string& customer_id, const nlohmann::json& body, const std::string& key,
                   std::vector<std::string> headers = {});
  Reply GetAs(const std::string& subject, auth::RoleSet roles, const std::string& target);
  Reply PostAs(const std::string& subject, auth::RoleSet roles, const std::string& target);

  // Feeds events to the service's handlers (EventSubscriptions) through an Inbox; answers each
  // outcome.
  std::vector<amqp::Outcome::Kind> Deliver(const std::vector<messaging::Envelope>& events);
  // A product copy as catalog's ProductCreated at `version` would leave it (through Deliver).
  void AddProduct(const std::string& product_id, const std::string& sku, std::int64_t price_minor,
                  const std::string& currency = "RUB", std::int64_t version = 1);

  // Events in the outbox, oldest first.
  std::vector<StoredEvent> OutboxEvents() const;
  std::string Sql(const std::string& query) const;
  const std::string& DatabaseUrl() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// An event of `producer` about aggregate {type, id, version, status} with `payload`, a fresh id.
messaging::Envelope Event(const std::string& producer, const std::string& type,
                          messaging::AggregateRef aggregate, nlohmann::json payload);
// catalog's ProductCreated (or ProductUpdated) of a product with this id, sku, price and version.
messaging::Envelope ProductEvent(const std::string& type, const std::string& product_id,
                                 const std::string& sku, std::int64_t price_minor,
                                 const std::string& currency, std::int64_t version, bool archived = false);

// {"items": [{"product_id": id, "quantity": q}, …]}
nlohmann::json OrderBody(const std::vector<std::pair<std::string, int>>& lines);

}  // namespace microstore::order::testing
