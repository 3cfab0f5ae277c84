// Reading the payloads of consumed events (api/json.hpp, through messaging::PayloadReader).
#include <gtest/gtest.h>

#include <functional>

#include "platform/messaging/inbox.hpp"
#include "stock/api/json.hpp"

namespace microstore::stock::api {
namespace {

using nlohmann::json;

const std::string kOrder = "0b7d2f3e-52c4-4a8e-9d3f-2c1e5b7a9f10";
const std::string kChair = "a0000000-0000-4000-8000-00000000000a";
const std::string kTable = "a0000000-0000-4000-8000-00000000000b";

messaging::Envelope Event(std::string type, json payload, std::int64_t aggregate_version = 1) {
  messaging::Envelope event;
  event.type = std::move(type);
  event.aggregate.version = aggregate_version;
  event.payload = std::move(payload);
  return event;
}

json OrderCreatedPayload() {
  return {{"order_id", kOrder},
          {"customer_id", "c0000000-0000-4000-8000-000000000001"},
          {"items",
           {{{"product_id", kChair},
             {"sku", "OAK-1"},
             {"name", "Oak chair"},
             {"quantity", 2},
             {"unit_price_minor", 50000},
             {"line_total_minor", 100000}},
            {{"product_id", kTable},
             {"sku", "OAK-T"},
             {"name", "Oak table"},
             {"quantity", 1},
             {"unit_price_minor", 29900},
             {"line_total_minor", 29900}}}},
          {"total_minor", 129900},
          {"currency", "RUB"},
          {"created_at", "2026-11-23T10:00:00.123Z"}};
}

// The message of the PoisonEvent `read` throws, or "(read)".
std::string PoisonOf(const std::function<void()>& read) {
  try {
    read();
  } catch (const messaging::PoisonEvent& poison) {
    return poison.what();
  }
  return "(read)";
}

TEST(ReadOrderCreated, ReadsTheContractsPayload) {
  EXPECT_EQ(ReadOrderCreated(Event("OrderCreated", OrderCreatedPayload())),
            (OrderCreated{.order_id = kOrder,
                          .customer_id = "c0000000-0000-4000-8000-000000000001",
                          .order_version = 1,
                          .lines = {{kChair, 2}, {kTable, 1}},
                          .total_minor = 129900,
                          .currency = "RUB"}));
}

TEST(ReadOrderCreated, CanonicalisesIdsAndSumsLinesOfOneProduct) {
  json payload = OrderCreatedPayload();
  payload["order_id"] = "0B7D2F3E-52C4-4A8E-9D3F-2C1E5B7A9F10";
  payload["items"].push_back({{"product_id", "A0000000-0000-4000-8000-00000000000A"}, {"quantity", 3}});
  const OrderCreated order = ReadOrderCreated(Event("OrderCreated", payload, 4));
  EXPECT_EQ(order.order_id, kOrder);
  EXPECT_EQ(order.order_version, 4);
  EXPECT_EQ(order.lines, (std::vector<Line>{{kChair, 5}, {kTable, 1}}));
}

TEST(ReadOrderCreated, NamesTheFieldThatMakesAPayloadUnusable) {
  const std::vector<std::pair<std::function<void(json&)>, std::string>> cases = {
      {[](json& p) { p.erase("order_id"); }, "payload has no order_id"},
      {[](json& p) { p["order_id"] = "42"; }, "payload field order_id is not a UUID"},
      {[](json& p) { p["order_id"] = 42; }, "payload field order_id is not a string"},
      {[](json& p) { p["customer_id"] = ""; }, "payload field customer_id is empty"},
      {[](json& p) { p["customer_id"] = nullptr; }, "payload has no customer_id"},
      {[](json& p) { p["total_minor"] = -1; }, "payload field total_minor is not an integer"},
      {[](json& p) { p["total_minor"] = 1.5; }, "payload field total_minor is not an integer"},
      {[](json& p) { p["total_minor"] = "100"; }, "payload field total_minor is not an integer"},
      {[](json& p) { p["currency"] = "rub"; }, "payload field currency is not an ISO 4217 currency code"},
      {[](json& p) { p["currency"] = "RUBL"; }, "payload field currency is not an ISO 4217 currency code"},
      {[](json& p) { p.erase("items"); }, "payload has no items"},
      {[](json& p) { p["items"] = json::array(); }, "payload field items is not a non-empty array"},
      {[](json& p) { p["items"] = json::object(); }, "payload field items is not a non-empty array"},
      {[](json& p) { p["items"][1] = "chair"; }, "payload field items[1] is not an object"},
      {[](json& p) { p["items"][1].erase("product_id"); }, "payload field items[1].product_id is missing"},
      {[](json& p) { p["items"][0]["product_id"] = "chair"; },
       "payload field items[0].product_id is not a UUID"},
      {[](json& p) { p["items"][0]["quantity"] = 0; },
       "payload field items[0].quantity is not an integer from 1 to"},
      {[](json& p) { p["items"][0]["quantity"] = -2; },
       "payload field items[0].quantity is not an integer from 1 to"},
      {[](json& p) { p["items"][0]["quantity"] = kMaxLineQuantity + 1; },
       "payload field items[0].quantity is not an integer"},
      {[](json& p) { p["items"][0]["quantity"] = 18446744073709551615ull; },
       "payload field items[0].quantity is not an integer"},
      {[](json& p) { p["items"][0]["quantity"] = 2.0; }, "payload field items[0].quantity is not an integer"},
      {[](json& p) { p = json::array(); }, "payload is not a JSON object"},
  };
  for (const auto& [breaks, expected] : cases) {
    json payload = OrderCreatedPayload();
    breaks(payload);
    const std::string error = PoisonOf([&] { ReadOrderCreated(Event("OrderCreated", payload)); });
    EXPECT_EQ(error.rfind("OrderCreated " + expected, 0), 0u)
        << "expected '" << expected << "', got '" << error << "'";
  }
  // order_version is the envelope's aggregate version: an order starts at 1.
  EXPECT_EQ(PoisonOf([] { ReadOrderCreated(Event("OrderCreated", OrderCreatedPayload(), 0)); }),
            "OrderCreated has aggregate version below 1");
}

TEST(ReadOrderCancelled, ReadsTheOrderAndCustomer) {
  const json payload = {{"order_id", kOrder},
                        {"customer_id", "cust-1"},
                        {"reason", "customer_cancelled"},
                        {"previous_status", "RESERVED"},
                        {"version", 3},
                        {"items", {{{"product_id", kChair}, {"quantity", 2}}}},
                        {"total_minor", 100000},
                        {"currency", "RUB"},
                        {"cancelled_at", "2026-11-23T10:00:00.123Z"}};
  EXPECT_EQ(ReadOrderCancelled(Event("OrderCancelled", payload)), (OrderCancelled{kOrder, "cust-1"}));
  EXPECT_EQ(PoisonOf([] {
              ReadOrderCancelled(Event("OrderCancelled", {{"customer_id", "cust-1"}}));
            }),
            "OrderCancelled payload has no order_id");
  EXPECT_EQ(PoisonOf([] {
              ReadOrderCancelled(Event("OrderCancelled", {{"order_id", kOrder}}));
            }),
            "OrderCancelled payload has no customer_id");
}

TEST(ReadPaymentFailed, ReadsTheOrderAndCustomer) {
  const json payload = {{"order_id", kOrder},
                        {"customer_id", "cust-1"},
                        {"payment_id", "p"},
                        {"amount_minor", 100},
                        {"currency", "RUB"},
                        {"order_version", 1},
                        {"reason", "insufficient_funds"}};
  EXPECT_EQ(ReadPaymentFailed(Event("PaymentFailed", payload)), (PaymentFailed{kOrder, "cust-1"}));
  EXPECT_EQ(PoisonOf([] {
              ReadPaymentFailed(Event("PaymentFailed", {{"order_id", "x"}, {"customer_id", "c"}}));
            }),
            "PaymentFailed payload field order_id is not a UUID");
  EXPECT_EQ(PoisonOf([] { ReadPaymentFailed(Event("PaymentFailed", "text")); }),
            "PaymentFailed payload is not a JSON object");
}

TEST(ReadProductCreated, ReadsTheProductId) {
  EXPECT_EQ(ReadProductCreated(Event("ProductCreated", {{"product_id", kChair}, {"sku", "OAK-1"}})), kChair);
  EXPECT_EQ(PoisonOf([] {
              ReadProductCreated(Event("ProductCreated", {{"sku", "OAK-1"}}));
            }),
            "ProductCreated payload has no product_id");
  EXPECT_EQ(PoisonOf([] {
              ReadProductCreated(Event("ProductCreated", {{"product_id", 7}}));
            }),
            "ProductCreated payload field product_id is not a string");
}

}  // namespace
}  // namespace microstore::stock::api
