#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "amqp/messages.hpp"
#include "auth/roles.hpp"
#include "messaging/envelope.hpp"

// The payment service on a fresh migrated database of the test cluster (MICROSTORE_TEST_PG_URL):
// its routes served over real HTTP on a loopback port with real token verification, and its event
// handlers behind a messaging::Inbox (consumer "payment") on the same pool, fed deliveries the way
// amqp::Consumer would. The event loop runs on a thread of its own; every call here blocks the
// test's thread until it is done.
namespace microstore::payment::testing {

inline constexpr const char* kCurrency = "RUB";

struct Reply {
  int status = 0;
  nlohmann::json body;                         // parsed when the body is JSON, else null
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string text;

  std::string Header(const std::string& name) const;
  std::vector<std::string> ErrorFields() const;  // the `field` of each entry of `errors`
};

struct StoredEvent {
  std::string event_id;
  std::string type;
  nlohmann::json envelope;
};

// Envelopes of the events payment consumes, as their producers build them.
messaging::Envelope UserRegistered(const std::string& user_id, std::vector<std::string> roles);
messaging::Envelope StockReserved(const std::string& order_id, const std::string& customer_id,
                                  std::int64_t total_minor, const std::string& currency = kCurrency,
                                  std::int64_t order_version = 1);
messaging::Envelope OrderCancelled(const std::string& order_id, const std::string& customer_id,
                                   std::int64_t total_minor, const std::string& currency = kCurrency);

class PaymentServer {
 public:
  PaymentServer();
  ~PaymentServer();
  PaymentServer(const PaymentServer&) = delete;
  PaymentServer& operator=(const PaymentServer&) = delete;

  // `headers` are added as they are ("Name: value" lines without CRLF).
  Reply Send(const std::string& method, const std::string& target, const std::string& body = "",
             const std::vector<std::string>& headers = {});
  // GET with a token of `subject` holding `roles`.
  Reply GetAs(const std::string& target, const std::string& subject, auth::RoleSet roles);
  // POST …/accounts/me/deposits as CUSTOMER `customer` with {amount_minor} and the key.
  Reply Deposit(const std::string& customer, std::int64_t amount_minor, const std::string& idempotency_key);

  std::string Token(const std::string& subject, auth::RoleSet roles) const;
  std::string Bearer(const std::string& subject, auth::RoleSet roles) const {
    return "Authorization: Bearer " + Token(subject, roles);
  }

  // Hands the event to the inbox as a broker delivery and returns what the consumer would do.
  amqp::Outcome Deliver(const messaging::Envelope& event);
  // Hands all of them to the inbox at once (handled concurrently, as with prefetch 64).
  std::vector<amqp::Outcome> DeliverConcurrently(const std::vector<messaging::Envelope>& events);

  // Events in the outbox, oldest first.
  std::vector<StoredEvent> OutboxEvents() const;
  std::vector<StoredEvent> OutboxEvents(const std::string& type) const;
  std::string Sql(const std::string& query) const;
  // Runs a statement that returns no rows; throws std::runtime_error when it fails.
  void Exec(const std::string& statement) const;
  std::int64_t Balance(const std::string& customer) const;  // −1 when there is no account

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace microstore::payment::testing
