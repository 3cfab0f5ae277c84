// Reading the payloads of the events the order service consumes (api/json.hpp), and the one
// list of what it consumes (api/events.hpp).
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "order/api/events.hpp"
#include "order/api/json.hpp"
#include "platform/messaging/inbox.hpp"
#include "platform/messaging/outbox.hpp"

namespace microstore::order::api {
namespace {

using nlohmann::json;

constexpr const char* kProduct = "6f0d7c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f";
constexpr const char* kOrder = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

messaging::Envelope Event(std::string type, json payload, std::int64_t version = 3) {
  return messaging::MakeEvent(std::move(type), 1, {"x", "id", version, ""}, std::move(payload), {}, "p", "p-1",
                              "0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7e", std::chrono::system_clock::now());
}

TEST(EventPayloads, ReadAProductSnapshot) {
  const ProductCopy copy = ReadProductSnapshot(Event(
      "ProductUpdated", {{"product_id", "6F0D7C1E-2A3B-4C5D-8E9F-0A1B2C3D4E5F"}, {"sku", "S"}, {"name", "N"},
                         {"price_minor", 5}, {"currency", "EUR"}, {"archived", false}, {"extra", 1}}));
  EXPECT_EQ(copy, (ProductCopy{kProduct, "S", "N", 5, "EUR", false, 3}));
}

TEST(EventPayloads, ReadPriceChangesArchivesAndSagaEvents) {
  EXPECT_EQ(ReadPriceChanged(Event("ProductPriceChanged",
                                   {{"product_id", kProduct}, {"sku", "S"}, {"price_minor", 7}, {"currency", "EUR"}})),
            (PriceChange{kProduct, "S", 7, "EUR", 3}));
  EXPECT_EQ(ReadProductArchived(Event("ProductArchived", {{"product_id", kProduct}, {"sku", "S"}})),
            (ArchivedProduct{kProduct, "S", 3}));
  const SagaEvent failed = ReadPaymentFailed(Event("PaymentFailed", {{"order_id", kOrder}, {"reason", "insufficient_funds"}}, 2));
  EXPECT_EQ(failed.order_id, kOrder);
  ASSERT_TRUE(std::holds_alternative<saga::PaymentFailed>(failed.input));
  EXPECT_EQ(std::get<saga::PaymentFailed>(failed.input).payment_version, 2);
  EXPECT_EQ(std::get<saga::PaymentFailed>(failed.input).reason, "insufficient_funds");
}

TEST(EventPayloads, AnUnusablePayloadIsPoison) {
  const json product = {{"product_id", kProduct}, {"sku", "S"}, {"name", "N"},
                        {"price_minor", 5},       {"currency", "EUR"}, {"archived", false}};
  for (const auto& [field, value] : std::vector<std::pair<std::string, json>>{
           {"product_id", "nope"}, {"sku", 1}, {"price_minor", -1}, {"price_minor", 1.5},
           {"price_minor", 18446744073709551615u}, {"archived", "no"}}) {
    json payload = product;
    payload[field] = value;
    EXPECT_THROW(ReadProductSnapshot(Event("ProductCreated", payload)), messaging::PoisonEvent) << field;
  }
  EXPECT_THROW(ReadProductSnapshot(Event("ProductCreated", product, 0)), messaging::PoisonEvent);
  EXPECT_THROW(ReadPaymentFailed(Event("PaymentFailed", {{"order_id", kOrder}, {"reason", 7}})), messaging::PoisonEvent);
  EXPECT_THROW(ReadStockReserved(Event("StockReserved", json::object())), messaging::PoisonEvent);
}

TEST(EventPayloads, EachSagaEventCarriesItsSourceVersion) {
  const json payload = {{"order_id", "3F2504E0-4F89-41D3-9A0C-0305E82C3301"}};
  const auto read = [&](SagaEvent (*reader)(const messaging::Envelope&), const char* type) {
    const SagaEvent event = reader(Event(type, payload, 2));
    EXPECT_EQ(event.order_id, kOrder) << type;
    EXPECT_EQ(NameOf(event.input), type);
    return event.input;
  };
  EXPECT_EQ(std::get<saga::StockReserved>(read(ReadStockReserved, "StockReserved")).reservation_version, 2);
  EXPECT_EQ(std::get<saga::StockReservationFailed>(read(ReadStockReservationFailed, "StockReservationFailed"))
                .reservation_version,
            2);
  EXPECT_EQ(std::get<saga::StockReleased>(read(ReadStockReleased, "StockReleased")).reservation_version, 2);
  EXPECT_EQ(std::get<saga::PaymentSucceeded>(read(ReadPaymentSucceeded, "PaymentSucceeded")).payment_version, 2);
  EXPECT_EQ(std::get<saga::PaymentRefunded>(read(ReadPaymentRefunded, "PaymentRefunded")).payment_version, 2);
}

// Types are routed by the subscription list alone: each consumed type has exactly one handler,
// and nothing else is subscribed (an event of another type never reaches a handler).
TEST(EventHandlers, ListEveryConsumedTypeOnce) {
  const messaging::Outbox outbox("order", "order-test-node");
  std::multiset<std::pair<std::string, std::string>> subscribed;
  for (const auto& subscription : EventHandlers(outbox)) {
    EXPECT_TRUE(subscription.handler) << subscription.type;
    subscribed.emplace(subscription.producer, subscription.type);
  }
  EXPECT_EQ(subscribed, (std::multiset<std::pair<std::string, std::string>>{
                            {"catalog", "ProductCreated"},
                            {"catalog", "ProductUpdated"},
                            {"catalog", "ProductPriceChanged"},
                            {"catalog", "ProductArchived"},
                            {"stock", "StockReserved"},
                            {"stock", "StockReservationFailed"},
                            {"stock", "StockReleased"},
                            {"payment", "PaymentSucceeded"},
                            {"payment", "PaymentFailed"},
                            {"payment", "PaymentRefunded"},
                        }));
}

}  // namespace
}  // namespace microstore::order::api
