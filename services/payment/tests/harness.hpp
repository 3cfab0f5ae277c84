#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "platform/amqp/messages.hpp"
#include "platform/auth/roles.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/testing/service_harness.hpp"

// The payment service on a testing::ServiceHarness (its routes over real HTTP on a loopback port
// with real token verification, a fresh migrated database), and its event handlers behind a
// messaging::Inbox (consumer "payment") on that database, fed deliveries the way amqp::Consumer
// would. Every call here blocks the test's thread until it is done.
namespace microstore::payment::testing {

inline constexpr const char* kCurrency = "RUB";

using microstore::testing::Reply;

// Envelopes of the events payment consumes, as their producers build them.
messaging::Envelope UserRegistered(const std::string& user_id, std::vector<std::string> roles);
messaging::Envelope StockReserved(const std::string& order_id, const std::string& customer_id,
                                  std::int64_t total_minor, const std::string& currency = kCurrency,
                                  std::int64_t order_version = 1);
messaging::Envelope OrderCancelled(const std::string& order_id, const std::string& customer_id,
                                   std::int64_t total_minor, const std::string& currency = kCurrency);

class PaymentServer : public microstore::testing::ServiceHarness {
 public:
  PaymentServer();

  // GET with a token of `subject` holding `roles`.
  Reply GetAs(const std::string& target, const std::string& subject, auth::RoleSet roles);
  // POST …/accounts/me/deposits as CUSTOMER `customer` with {amount_minor} and the key.
  Reply Deposit(const std::string& customer, std::int64_t amount_minor, const std::string& idempotency_key);

  // Hands the event to the inbox as a broker delivery and returns what the consumer would do.
  amqp::Outcome Deliver(const messaging::Envelope& event);
  // Hands all of them to the inbox at once (handled concurrently, as with prefetch 64).
  std::vector<amqp::Outcome> DeliverConcurrently(const std::vector<messaging::Envelope>& events);

  std::int64_t Balance(const std::string& customer) const;  // −1 when there is no account
};

}  // namespace microstore::payment::testing
