// The microstore-payment binary as an operator runs it: configuration errors, --help, start-up
// against a real database and broker, a deposit over HTTP, a StockReserved from the broker charged
// and its PaymentSucceeded relayed back, and a clean stop on SIGTERM.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "platform/core/ids.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/testing/service_process.hpp"

namespace microstore::payment {
namespace {

using namespace std::chrono_literals;
using microstore::testing::ChildProcess;

using PaymentProcess = microstore::testing::ServiceProcessTest;

TEST_F(PaymentProcess, HelpListsTheVariables) {
  EXPECT_TRUE(microstore::testing::HelpNames(
      MICROSTORE_PAYMENT_BINARY, {"MICROSTORE_AMQP_URL", "MICROSTORE_DB_URL", "MICROSTORE_JWT_PUBLIC_KEYS",
                                  "MICROSTORE_PAYMENT_CURRENCY"}));
}

TEST_F(PaymentProcess, BadSettingsExitWith2NamingThem) {
  auto environment = Environment();
  environment["MICROSTORE_PAYMENT_CURRENCY"] = "rubles";
  environment["MICROSTORE_AMQP_URL"] = "";
  EXPECT_TRUE(microstore::testing::RefusesToStartNaming(
      MICROSTORE_PAYMENT_BINARY, environment, {"MICROSTORE_PAYMENT_CURRENCY", "MICROSTORE_AMQP_URL"}));
}

TEST_F(PaymentProcess, ServesConsumesChargesAndRelaysTheOutcome) {
  ChildProcess payment(MICROSTORE_PAYMENT_BINARY, {}, Environment());
  ASSERT_TRUE(microstore::testing::BecomesReady(payment, port_));

  const std::string customer = core::NewUuid();
  const std::string bearer = Bearer(customer, {auth::Role::kCustomer});
  const auto deposited = Send("POST", "/api/v1/accounts/me/deposits", R"({"amount_minor": 10000})",
                              bearer + "Content-Type: application/json\r\nIdempotency-Key: process-1\r\n");
  ASSERT_EQ(deposited.status, 201) << deposited.body;
  EXPECT_EQ(Get("/api/v1/accounts/me").status, 401);

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
  Publish(reserved);

  // Charged, and PaymentSucceeded published once the broker confirmed it.
  EXPECT_TRUE(microstore::testing::Eventually([&] {
    return Sql("SELECT count(*) FROM outbox WHERE type = 'PaymentSucceeded' AND sent_at IS NOT NULL") == "1";
  })) << payment.Output();
  const auto account = Get("/api/v1/accounts/me", bearer);
  ASSERT_EQ(account.status, 200);
  EXPECT_EQ(nlohmann::json::parse(account.body)["balance_minor"], 7500);
  const auto payments = Get("/api/v1/payments/" + order, bearer);
  ASSERT_EQ(payments.status, 200);
  EXPECT_EQ(nlohmann::json::parse(payments.body)["items"][0]["status"], "CAPTURED");

  // The dead-letter routes of a consuming service are served (for operators).
  const auto dead = Get("/api/v1/admin/dead-letters", Bearer(core::NewUuid(), {auth::Role::kOperator}));
  EXPECT_EQ(dead.status, 200) << dead.body;

  EXPECT_TRUE(microstore::testing::StopsCleanly(payment));
}

}  // namespace
}  // namespace microstore::payment
