// The outbox rows of payment's events: type, aggregate and payload exactly as the contract says.
#include "payment/infra/events.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace microstore::payment {
namespace {

using nlohmann::json;

constexpr const char* kOrder = "0b6e1b4e-6c1f-4d43-9d5e-2f4b8c1a7e01";
constexpr const char* kCustomer = "5a1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
constexpr const char* kPayment = "7f3e2d1c-0b9a-4887-a665-544332211000";

TEST(PaymentSucceededRow, CarriesTheChargeAndTheOrderVersion) {
  const messaging::EventDraft draft = ToDraft(PaymentSucceeded{.order_id = kOrder,
                                                               .customer_id = kCustomer,
                                                               .payment_id = kPayment,
                                                               .amount_minor = 5000,
                                                               .currency = "RUB",
                                                               .order_version = 1,
                                                               .version = 1});
  EXPECT_EQ(draft.type, "PaymentSucceeded");
  EXPECT_EQ(draft.schema_version, 1);
  EXPECT_EQ(draft.aggregate, (messaging::AggregateRef{"payment", kOrder, 1, "CAPTURED"}));
  EXPECT_EQ(draft.payload, (json{{"order_id", kOrder},
                                 {"customer_id", kCustomer},
                                 {"payment_id", kPayment},
                                 {"amount_minor", 5000},
                                 {"currency", "RUB"},
                                 {"order_version", 1}}));
}

TEST(PaymentFailedRow, CarriesTheReason) {
  const messaging::EventDraft draft = ToDraft(PaymentFailed{.order_id = kOrder,
                                                            .customer_id = kCustomer,
                                                            .payment_id = kPayment,
                                                            .amount_minor = 5000,
                                                            .currency = "RUB",
                                                            .order_version = 4,
                                                            .reason = "insufficient_funds",
                                                            .version = 1});
  EXPECT_EQ(draft.type, "PaymentFailed");
  EXPECT_EQ(draft.aggregate, (messaging::AggregateRef{"payment", kOrder, 1, "FAILED"}));
  EXPECT_EQ(draft.payload, (json{{"order_id", kOrder},
                                 {"customer_id", kCustomer},
                                 {"payment_id", kPayment},
                                 {"amount_minor", 5000},
                                 {"currency", "RUB"},
                                 {"order_version", 4},
                                 {"reason", "insufficient_funds"}}));
}

TEST(PaymentFailedRow, NamesTheCurrencyOfTheOrder) {
  const messaging::EventDraft draft = ToDraft(PaymentFailed{.order_id = kOrder,
                                                            .customer_id = kCustomer,
                                                            .payment_id = kPayment,
                                                            .amount_minor = 5000,
                                                            .currency = "EUR",
                                                            .order_version = 1,
                                                            .reason = "currency_mismatch",
                                                            .version = 1});
  EXPECT_EQ(draft.payload["reason"], "currency_mismatch");
  EXPECT_EQ(draft.payload["currency"], "EUR");
}

TEST(PaymentRefundedRow, IsVersionTwoWithoutOrderVersion) {
  const messaging::EventDraft draft =
      ToDraft(PaymentRefunded{.order_id = kOrder,
                              .customer_id = kCustomer,
                              .payment_id = "11111111-2222-4333-8444-555555555555",
                              .amount_minor = 5000,
                              .currency = "RUB",
                              .reason = "order_cancelled",
                              .version = 2});
  EXPECT_EQ(draft.type, "PaymentRefunded");
  EXPECT_EQ(draft.aggregate, (messaging::AggregateRef{"payment", kOrder, 2, "REFUNDED"}));
  EXPECT_EQ(draft.payload, (json{{"order_id", kOrder},
                                 {"customer_id", kCustomer},
                                 {"payment_id", "11111111-2222-4333-8444-555555555555"},
                                 {"amount_minor", 5000},
                                 {"currency", "RUB"},
                                 {"reason", "order_cancelled"}}));
}

TEST(Rows, KeepTheOrderOfTheEvents) {
  const std::vector<messaging::EventDraft> drafts =
      ToDrafts({PaymentSucceeded{.order_id = kOrder}, PaymentRefunded{.order_id = kOrder}});
  ASSERT_EQ(drafts.size(), 2u);
  EXPECT_EQ(drafts[0].type, "PaymentSucceeded");
  EXPECT_EQ(drafts[1].type, "PaymentRefunded");
  EXPECT_TRUE(ToDrafts({}).empty());
}

}  // namespace
}  // namespace microstore::payment
