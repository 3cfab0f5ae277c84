#include "order/infra/event_payloads.hpp"

#include <gtest/gtest.h>

#include "platform/messaging/inbox.hpp"

namespace microstore::order {
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
  const SagaEvent failed = ReadSagaEvent(Event("PaymentFailed", {{"order_id", kOrder}, {"reason", "insufficient_funds"}}, 2));
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
  EXPECT_THROW(ReadSagaEvent(Event("OrderShipped", {{"order_id", kOrder}})), messaging::PoisonEvent);
  EXPECT_THROW(ReadSagaEvent(Event("PaymentFailed", {{"order_id", kOrder}, {"reason", 7}})), messaging::PoisonEvent);
  EXPECT_THROW(ReadSagaEvent(Event("StockReserved", json::object())), messaging::PoisonEvent);
}

}  // namespace
}  // namespace microstore::order
