// Reading the payloads of consumed events.
#include "stock/domain/incoming.hpp"

#include <gtest/gtest.h>

namespace microstore::stock {
namespace {

using nlohmann::json;

const std::string kOrder = "0b7d2f3e-52c4-4a8e-9d3f-2c1e5b7a9f10";
const std::string kChair = "a0000000-0000-4000-8000-00000000000a";
const std::string kTable = "a0000000-0000-4000-8000-00000000000b";

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

std::string ErrorOf(const std::variant<OrderCreated, PayloadError>& parsed) {
  const auto* error = std::get_if<PayloadError>(&parsed);
  return error ? error->message : "(parsed)";
}

TEST(ParseOrderCreated, ReadsTheContractsPayload) {
  const auto parsed = ParseOrderCreated(OrderCreatedPayload(), 1);
  ASSERT_TRUE(std::holds_alternative<OrderCreated>(parsed)) << ErrorOf(parsed);
  EXPECT_EQ(std::get<OrderCreated>(parsed),
            (OrderCreated{.order_id = kOrder,
                          .customer_id = "c0000000-0000-4000-8000-000000000001",
                          .order_version = 1,
                          .lines = {{kChair, 2}, {kTable, 1}},
                          .total_minor = 129900,
                          .currency = "RUB"}));
}

TEST(ParseOrderCreated, CanonicalisesIdsAndSumsLinesOfOneProduct) {
  json payload = OrderCreatedPayload();
  payload["order_id"] = "0B7D2F3E-52C4-4A8E-9D3F-2C1E5B7A9F10";
  payload["items"].push_back({{"product_id", "A0000000-0000-4000-8000-00000000000A"}, {"quantity", 3}});
  const auto parsed = ParseOrderCreated(payload, 4);
  ASSERT_TRUE(std::holds_alternative<OrderCreated>(parsed)) << ErrorOf(parsed);
  const OrderCreated& order = std::get<OrderCreated>(parsed);
  EXPECT_EQ(order.order_id, kOrder);
  EXPECT_EQ(order.order_version, 4);
  EXPECT_EQ(order.lines, (std::vector<Line>{{kChair, 5}, {kTable, 1}}));
}

TEST(ParseOrderCreated, NamesTheFieldThatMakesAPayloadUnusable) {
  const std::vector<std::pair<std::function<void(json&)>, std::string>> cases = {
      {[](json& p) { p.erase("order_id"); }, "order_id is missing"},
      {[](json& p) { p["order_id"] = "42"; }, "order_id is not a UUID"},
      {[](json& p) { p["order_id"] = 42; }, "order_id is not a UUID"},
      {[](json& p) { p["customer_id"] = ""; }, "customer_id is not a non-empty string"},
      {[](json& p) { p["customer_id"] = nullptr; }, "customer_id is not a non-empty string"},
      {[](json& p) { p["total_minor"] = -1; }, "total_minor is not an integer"},
      {[](json& p) { p["total_minor"] = 1.5; }, "total_minor is not an integer"},
      {[](json& p) { p["total_minor"] = "100"; }, "total_minor is not an integer"},
      {[](json& p) { p["currency"] = "rub"; }, "currency is not an ISO 4217 currency code"},
      {[](json& p) { p["currency"] = "RUBL"; }, "currency is not an ISO 4217 currency code"},
      {[](json& p) { p.erase("items"); }, "items is not a non-empty array"},
      {[](json& p) { p["items"] = json::array(); }, "items is not a non-empty array"},
      {[](json& p) { p["items"] = json::object(); }, "items is not a non-empty array"},
      {[](json& p) { p["items"][1] = "chair"; }, "items[1] is not an object"},
      {[](json& p) { p["items"][1].erase("product_id"); }, "items[1].product_id is missing"},
      {[](json& p) { p["items"][0]["product_id"] = "chair"; }, "items[0].product_id is not a UUID"},
      {[](json& p) { p["items"][0]["quantity"] = 0; }, "items[0].quantity is not an integer from 1 to"},
      {[](json& p) { p["items"][0]["quantity"] = -2; }, "items[0].quantity is not an integer from 1 to"},
      {[](json& p) { p["items"][0]["quantity"] = kMaxLineQuantity + 1; },
       "items[0].quantity is not an integer"},
      {[](json& p) { p["items"][0]["quantity"] = 18446744073709551615ull; },
       "items[0].quantity is not an integer"},
      {[](json& p) { p["items"][0]["quantity"] = 2.0; }, "items[0].quantity is not an integer"},
      {[](json& p) { p = json::array(); }, "payload is not an object"},
  };
  for (const auto& [breaks, expected] : cases) {
    json payload = OrderCreatedPayload();
    breaks(payload);
    const std::string error = ErrorOf(ParseOrderCreated(payload, 1));
    EXPECT_EQ(error.rfind(expected, 0), 0u) << "expected '" << expected << "', got '" << error << "'";
  }
}

TEST(ParseOrderCancelled, ReadsTheOrderAndCustomer) {
  const json payload = {{"order_id", kOrder},
                        {"customer_id", "cust-1"},
                        {"reason", "customer_cancelled"},
                        {"previous_status", "RESERVED"},
                        {"version", 3},
                        {"items", {{{"product_id", kChair}, {"quantity", 2}}}},
                        {"total_minor", 100000},
                        {"currency", "RUB"},
                        {"cancelled_at", "2026-11-23T10:00:00.123Z"}};
  EXPECT_EQ(std::get<OrderCancelled>(ParseOrderCancelled(payload)), (OrderCancelled{kOrder, "cust-1"}));
  EXPECT_EQ(std::get<PayloadError>(ParseOrderCancelled({{"customer_id", "cust-1"}})).message,
            "order_id is missing");
  EXPECT_EQ(std::get<PayloadError>(ParseOrderCancelled({{"order_id", kOrder}})).message,
            "customer_id is missing");
}

TEST(ParsePaymentFailed, ReadsTheOrderAndCustomer) {
  const json payload = {{"order_id", kOrder},
                        {"customer_id", "cust-1"},
                        {"payment_id", "p"},
                        {"amount_minor", 100},
                        {"currency", "RUB"},
                        {"order_version", 1},
                        {"reason", "insufficient_funds"}};
  EXPECT_EQ(std::get<PaymentFailed>(ParsePaymentFailed(payload)), (PaymentFailed{kOrder, "cust-1"}));
  EXPECT_EQ(std::get<PayloadError>(ParsePaymentFailed({{"order_id", "x"}, {"customer_id", "c"}})).message,
            "order_id is not a UUID");
  EXPECT_EQ(std::get<PayloadError>(ParsePaymentFailed("text")).message, "payload is not an object");
}

TEST(ParseProductCreated, ReadsTheProductId) {
  EXPECT_EQ(std::get<std::string>(ParseProductCreated({{"product_id", kChair}, {"sku", "OAK-1"}})), kChair);
  EXPECT_EQ(std::get<PayloadError>(ParseProductCreated({{"sku", "OAK-1"}})).message, "product_id is missing");
  EXPECT_EQ(std::get<PayloadError>(ParseProductCreated({{"product_id", 7}})).message,
            "product_id is not a UUID");
}

}  // namespace
}  // namespace microstore::stock
