// Reading the payloads of the consumed events: what is accepted, and every way one is poison.
#include <gtest/gtest.h>

#include "payment/api/json.hpp"
#include "platform/messaging/inbox.hpp"

namespace microstore::payment::api {
namespace {

using nlohmann::json;

constexpr const char* kOrder = "0b6e1b4e-6c1f-4d43-9d5e-2f4b8c1a7e01";
constexpr const char* kCustomer = "5a1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

json StockReservedPayload() {
  return {{"order_id", kOrder},   {"customer_id", kCustomer},
          {"order_version", 1},   {"items", json::array({{{"product_id", "p"}, {"quantity", 2}}})},
          {"total_minor", 25980}, {"currency", "RUB"}};
}

json OrderCancelledPayload() {
  return {{"order_id", kOrder},
          {"customer_id", kCustomer},
          {"reason", "customer_cancelled"},
          {"previous_status", "PAID"},
          {"version", 4},
          {"items", json::array()},
          {"total_minor", 25980},
          {"currency", "RUB"},
          {"cancelled_at", "2026-11-23T10:00:00.123Z"}};
}

messaging::Envelope EventOf(std::string type, json payload) {
  messaging::Envelope event;
  event.type = std::move(type);
  event.payload = std::move(payload);
  return event;
}

messaging::Envelope StockReserved(json payload) { return EventOf("StockReserved", std::move(payload)); }
messaging::Envelope OrderCancelled(json payload) { return EventOf("OrderCancelled", std::move(payload)); }
messaging::Envelope UserRegistered(json payload) { return EventOf("UserRegistered", std::move(payload)); }

// The PoisonEvent's message `read` throws, "" when it reads the payload.
template <typename Read>
std::string ErrorOf(Read read, const messaging::Envelope& event) {
  try {
    read(event);
  } catch (const messaging::PoisonEvent& poison) {
    return poison.what();
  }
  return "";
}

TEST(StockReservedPayload, IsReadIntoAChargeRequest) {
  EXPECT_EQ(ReadStockReserved(StockReserved(StockReservedPayload())),
            (ChargeRequest{kOrder, kCustomer, 1, 25980, "RUB"}));
}

TEST(StockReservedPayload, IdsComeBackLowerCase) {
  json payload = StockReservedPayload();
  payload["order_id"] = "0B6E1B4E-6C1F-4D43-9D5E-2F4B8C1A7E01";
  EXPECT_EQ(ReadStockReserved(StockReserved(payload)).order_id, kOrder);
}

TEST(StockReservedPayload, AFreeOrderIsReadable) {
  json payload = StockReservedPayload();
  payload["total_minor"] = 0;
  EXPECT_EQ(ReadStockReserved(StockReserved(payload)).amount_minor, 0);
}

TEST(StockReservedPayload, EachUnusableFieldIsNamed) {
  const std::vector<std::pair<std::string, json>> cases = {{"order_id", json("42")},
                                                           {"order_id", json(nullptr)},
                                                           {"customer_id", json(7)},
                                                           {"order_version", json(0)},
                                                           {"order_version", json("1")},
                                                           {"total_minor", json(-1)},
                                                           {"total_minor", json(1.5)},
                                                           {"total_minor", json(kMaxOrderTotalMinor + 1)},
                                                           {"total_minor", json(18'446'744'073'709'551'615u)},
                                                           {"currency", json("rub")},
                                                           {"currency", json(643)}};
  for (const auto& [field, value] : cases) {
    json payload = StockReservedPayload();
    payload[field] = value;
    const std::string error = ErrorOf(ReadStockReserved, StockReserved(payload));
    EXPECT_NE(error.find(field), std::string::npos) << field << " = " << value << ": " << error;
  }
  for (const char* field : {"order_id", "customer_id", "order_version", "total_minor", "currency"}) {
    json payload = StockReservedPayload();
    payload.erase(field);
    EXPECT_EQ(ErrorOf(ReadStockReserved, StockReserved(payload)),
              std::string("StockReserved payload has no ") + field);
  }
  EXPECT_EQ(ErrorOf(ReadStockReserved, StockReserved(json::array())),
            "StockReserved payload is not a JSON object");
}

TEST(StockReservedPayload, NumbersParsedFromTextAreCheckedLikeLiterals) {
  json payload = StockReservedPayload();
  payload["order_version"] = json::parse("0");  // unsigned after parsing
  EXPECT_NE(ErrorOf(ReadStockReserved, StockReserved(payload)).find("order_version"), std::string::npos);
  payload = StockReservedPayload();
  payload["total_minor"] = json::parse("-1");
  EXPECT_NE(ErrorOf(ReadStockReserved, StockReserved(payload)).find("total_minor"), std::string::npos);
  payload = json::parse(StockReservedPayload().dump());
  EXPECT_EQ(ReadStockReserved(StockReserved(payload)), (ChargeRequest{kOrder, kCustomer, 1, 25980, "RUB"}));
}

TEST(OrderCancelledPayload, IsReadIntoACancellation) {
  EXPECT_EQ(ReadOrderCancelled(OrderCancelled(OrderCancelledPayload())),
            (Cancellation{kOrder, kCustomer, 25980, "RUB"}));
}

TEST(OrderCancelledPayload, EachUnusableFieldIsNamed) {
  for (const char* field : {"order_id", "customer_id", "total_minor", "currency"}) {
    json payload = OrderCancelledPayload();
    payload[field] = "not-valid";
    EXPECT_NE(ErrorOf(ReadOrderCancelled, OrderCancelled(payload)).find(field), std::string::npos) << field;
    payload.erase(field);
    EXPECT_NE(ErrorOf(ReadOrderCancelled, OrderCancelled(payload)).find(field), std::string::npos) << field;
  }
}

TEST(UserRegisteredPayload, OnlyCustomersGetAnAccount) {
  const json customer = {{"user_id", kCustomer}, {"email", "a@b.c"}, {"roles", {"CUSTOMER"}}};
  EXPECT_EQ(ReadUserRegistered(UserRegistered(customer)), (Registration{kCustomer, true}));
  const json staff = {{"user_id", kCustomer}, {"roles", {"OPERATOR", "ADMIN"}}};
  EXPECT_EQ(ReadUserRegistered(UserRegistered(staff)), (Registration{kCustomer, false}));
  const json both = {{"user_id", kCustomer}, {"roles", {"ADMIN", "CUSTOMER"}}};
  EXPECT_TRUE(ReadUserRegistered(UserRegistered(both)).customer);
  const json none = {{"user_id", kCustomer}, {"roles", json::array()}};
  EXPECT_FALSE(ReadUserRegistered(UserRegistered(none)).customer);
}

TEST(UserRegisteredPayload, UnusableIdsOrRolesArePoison) {
  EXPECT_NE(ErrorOf(ReadUserRegistered, UserRegistered({{"user_id", "u1"}, {"roles", {"CUSTOMER"}}}))
                .find("user_id"),
            std::string::npos);
  EXPECT_NE(ErrorOf(ReadUserRegistered, UserRegistered({{"user_id", kCustomer}})).find("roles"),
            std::string::npos);
  EXPECT_NE(ErrorOf(ReadUserRegistered, UserRegistered({{"user_id", kCustomer}, {"roles", "CUSTOMER"}}))
                .find("roles"),
            std::string::npos);
}

}  // namespace
}  // namespace microstore::payment::api
