// The microstore-payment binary as an operator runs it: configuration errors, --help, start-up
// against a real database and broker, a deposit over HTTP, a StockReserved from the broker charged
// and its PaymentSucceeded relayed back, and a clean stop on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "amqp/consumer.hpp"
#include "auth/jwt.hpp"
#include "core/ids.hpp"
#include "messaging/envelope.hpp"
#include "testing/amqp.hpp"
#include "testing/process.hpp"
#include "testing/testing.hpp"

namespace microstore::payment {
namespace {

using namespace std::chrono_literals;
using microstore::testing::ChildProcess;

class PaymentProcess : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Environment() {
    return {{"MICROSTORE_HTTP_PORT", std::to_string(port_)},
            {"MICROSTORE_DB_URL", database_.url()},
            {"MICROSTORE_AMQP_URL", vhost_.url()},
            {"MICROSTORE_LOG_LEVEL", "info"},
            {"MICROSTORE_JWT_PUBLIC_KEYS", "k1:" + keys_.public_key}};
  }

  std::string Token(const std::string& subject, auth::Role role) {
    auto signer = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys_.seed));
    const auto now = std::chrono::system_clock::now();
    return signer.Sign({subject, {role}, "jti", "microstore-identity", now, now + 5min});
  }

  std::string Sql(const std::string& query) {
    return microstore::testing::QueryValueSync(database_.url(), query);
  }

  auth::GeneratedKeyPair keys_ = auth::GenerateKeyPair("k1");
  microstore::testing::TempDatabase database_;
  microstore::testing::TempVhost vhost_;
  unsigned short port_ = microstore::testing::FreePort();
};

TEST_F(PaymentProcess, HelpListsTheVariables) {
  ChildProcess payment(MICROSTORE_PAYMENT_BINARY, {"--help"}, {{"MICROSTORE_AMQP_URL", ""}});
  EXPECT_EQ(payment.Wait(10s), 0);
  for (const char* variable : {"`MICROSTORE_AMQP_URL`", "`MICROSTORE_DB_URL`", "`MICROSTORE_JWT_PUBLIC_KEYS`",
                               "`MICROSTORE_PAYMENT_CURRENCY`"}) {
    EXPECT_NE(payment.Output().find(variable), std::string::npos) << variable << "\n" << payment.Output();
  }
}

TEST_F(PaymentProcess, BadSettingsExitWith2NamingThem) {
  auto environment = Environment();
  environment["MICROSTORE_PAYMENT_CURRENCY"] = "rubles";
  environment["MICROSTORE_AMQP_URL"] = "";
  ChildProcess bad(MICROSTORE_PAYMENT_BINARY, {}, environment);
  EXPECT_EQ(bad.Wait(10s), 2);
  EXPECT_NE(bad.Output().find("MICROSTORE_PAYMENT_CURRENCY"), std::string::npos) << bad.Output();
  EXPECT_NE(bad.Output().find("MICROSTORE_AMQP_URL"), std::string::npos) << bad.Output();
}

TEST_F(PaymentProcess, ServesConsumesChargesAndRelaysTheOutcome) {
  ChildProcess payment(MICROSTORE_PAYMENT_BINARY, {}, Environment());
  ASSERT_TRUE(microstore::testing::WaitForHttpStatus(port_, "/health/ready", 200, 60s)) << payment.Output();

  const std::string customer = core::NewUuid();
  const std::string bearer = "Authorization: Bearer " + Token(customer, auth::Role::kCustomer) + "\r\n";
  const auto deposited = microstore::testing::HttpRequest(
      port_, "POST", "/api/v1/accounts/me/deposits", R"({"amount_minor": 10000})",
      bearer + "Content-Type: application/json\r\nIdempotency-Key: process-1\r\n");
  ASSERT_EQ(deposited.status, 201) << deposited.body;
  EXPECT_EQ(microstore::testing::HttpRequest(port_, "GET", "/api/v1/accounts/me").status, 401);

  // The stock service's event, as its relay publishes it.
  const std::string order = core::NewUuid();
  const messaging::Envelope reserved = messaging::MakeEvent(
      "StockReserved", 1, {"reservation", order, 1, "BOOKED"},
      {{"order_id", order},
       {"customer_id", customer},
       {"order_version", 1},
       {"items", {{{"product_id", core::NewUuid()}, {"quantity", 2}}}},
       {"total_minor", 2500},
       {"currency", "RUB"}},
      {"corr-process", "", ""}, "stock", "stock-test", core::NewUuid(), std::chrono::system_clock::now());
  amqp::QueueAdmin admin(vhost_.url());
  admin.Publish({.exchange = "microstore.stock",
                 .routing_key = "StockReserved",
                 .message_id = reserved.id,
                 .type = reserved.type,
                 .correlation_id = reserved.correlation_id,
                 .body = messaging::ToJson(reserved),
                 .headers = {}});

  // Charged, and PaymentSucceeded published once the broker confirmed it.
  EXPECT_TRUE(microstore::testing::Eventually([&] {
    return Sql("SELECT count(*) FROM outbox WHERE type = 'PaymentSucceeded' AND sent_at IS NOT NULL") == "1";
  })) << payment.Output();
  const auto account = microstore::testing::HttpRequest(port_, "GET", "/api/v1/accounts/me", "", bearer);
  ASSERT_EQ(account.status, 200);
  EXPECT_EQ(nlohmann::json::parse(account.body)["balance_minor"], 7500);
  const auto payments =
      microstore::testing::HttpRequest(port_, "GET", "/api/v1/payments/" + order, "", bearer);
  ASSERT_EQ(payments.status, 200);
  EXPECT_EQ(nlohmann::json::parse(payments.body)["items"][0]["status"], "CAPTURED");

  // The dead-letter routes of a consuming service are served (for operators).
  const auto dead = microstore::testing::HttpRequest(
      port_, "GET", "/admin/dead-letters", "",
      "Authorization: Bearer " + Token(core::NewUuid(), auth::Role::kOperator) + "\r\n");
  EXPECT_EQ(dead.status, 200) << dead.body;

  payment.Signal(SIGTERM);
  EXPECT_EQ(payment.Wait(30s), 0) << payment.Output();
}

}  // namespace
}  // namespace microstore::payment
