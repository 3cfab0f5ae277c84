#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/amqp/messages.hpp"
#include "platform/auth/roles.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/testing/service_harness.hpp"

// The stock service's routes on a testing::ServiceHarness (real HTTP on a loopback port, a fresh
// migrated database, real token verification; tokens of subject "operator-1" unless named), and
// its event handlers fed through a real messaging::Inbox, as the consumer would.
namespace microstore::stock::testing {

using microstore::testing::OutboxEvent;
using microstore::testing::Reply;

class StockHarness : public microstore::testing::ServiceHarness {
 public:
  StockHarness();

  using ServiceHarness::Post;
  // A JSON body with a token holding `roles`.
  Reply Post(const std::string& target, const nlohmann::json& body, auth::RoleSet roles,
             std::vector<std::string> headers = {});

  // Hands each event in turn to the stock service's inbox; answers each outcome.
  std::vector<amqp::Outcome::Kind> Deliver(const std::vector<messaging::Envelope>& events);
  // Hands every event to one inbox at once, as a consumer with a large prefetch does: the
  // handlers run interleaved on `connections` database connections. Answers each outcome.
  std::vector<amqp::Outcome::Kind> DeliverConcurrently(const std::vector<messaging::Envelope>& events,
                                                       std::size_t connections);

  // A product stock knows (ProductCreated delivered) with `free` units restocked over HTTP.
  void AddProduct(const std::string& product_id, std::int64_t free);

  std::int64_t Count(const std::string& query) const { return std::stoll(Sql(query)); }
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
