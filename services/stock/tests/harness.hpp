#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "amqp/messages.hpp"
#include "auth/roles.hpp"
#include "messaging/envelope.hpp"

// The stock service against a fresh migrated database on the test cluster
// (MICROSTORE_TEST_PG_URL): its routes served over real HTTP on a loopback port with real token
// verification (on a thread of its own), and its event handlers fed through a real
// messaging::Inbox, as the consumer would. Requests and deliveries block the test's thread.
namespace microstore::stock::testing {

struct Reply {
  int status = 0;
  nlohmann::json body;  // parsed when the body is JSON, else null
  std::string text;
};

struct StoredEvent {
  std::string type;
  nlohmann::json envelope;
};

class StockHarness {
 public:
  StockHarness();
  ~StockHarness();
  StockHarness(const StockHarness&) = delete;
  StockHarness& operator=(const StockHarness&) = delete;

  // `headers` are added as they are ("Name: value" lines without CRLF).
  Reply Send(const std::string& method, const std::string& target, const std::string& body = "",
             const std::vector<std::string>& headers = {});
  Reply Get(const std::string& target, std::vector<std::string> headers = {});
  // A JSON body with a token holding `roles` (subject "operator-1").
  Reply Post(const std::string& target, const nlohmann::json& body, auth::RoleSet roles,
             std::vector<std::string> headers = {});
  std::string Bearer(auth::RoleSet roles) const;

  // Hands each event in turn to the stock service's inbox; answers each outcome.
  std::vector<amqp::Outcome::Kind> Deliver(const std::vector<messaging::Envelope>& events);
  // Hands every event to one inbox at once, as a consumer with a large prefetch does: the
  // handlers run interleaved on `connections` database connections. Answers each outcome.
  std::vector<amqp::Outcome::Kind> DeliverConcurrently(const std::vector<messaging::Envelope>& events,
                                                       std::size_t connections);

  // A product stock knows (ProductCreated delivered) with `free` units restocked over HTTP.
  void AddProduct(const std::string& product_id, std::int64_t free);

  // Events in the outbox, oldest first; `type` filters when not empty.
  std::vector<StoredEvent> OutboxEvents(const std::string& type = "") const;
  std::string Sql(const std::string& query) const;
  std::int64_t Count(const std::string& query) const { return std::stoll(Sql(query)); }
  const std::string& DatabaseUrl() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

inline constexpr const char* kNodeId = "stock-test-node";

// Events as their producers publish them (contract payloads), with fresh ids.
messaging::Envelope ProductCreatedEvent(const std::string& product_id);
struct OrderLine {
  std::string product_id;
  std::int64_t quantity;
};
messaging::Envelope OrderCreatedEvent(
    const std::string& order_id, const std::vector<OrderLine>& lines,
    const std::string& customer_id = "c0000000-0000-4000-8000-000000000001");
messaging::Envelope OrderCancelledEvent(
    const std::string& order_id, const std::string& customer_id = "c0000000-0000-4000-8000-000000000001");
messaging::Envelope PaymentFailedEvent(
    const std::string& order_id, const std::string& customer_id = "c0000000-0000-4000-8000-000000000001");

// Outcomes readable in failure messages: "ack ack dead_letter" in order, or counted ("98 ack, 2 retry").
std::string Outcomes(const std::vector<amqp::Outcome::Kind>& outcomes);
std::string Tally(const std::vector<amqp::Outcome::Kind>& outcomes);

// A UUID whose last digits are `n` (readable ids that sort by n).
std::string Id(char prefix, int n);

}  // namespace microstore::stock::testing
