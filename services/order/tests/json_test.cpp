// The order service's JSON: the create body, the list query and its cursors, the order's public
// representation (api/json.hpp).
#include "order/api/json.hpp"

#include <gtest/gtest.h>

#include "platform/core/encoding.hpp"
#include "platform/http/message.hpp"
#include "platform/http/query.hpp"

namespace microstore::order::api {
namespace {

using nlohmann::json;

const std::string kChair = "11111111-1111-4111-8111-111111111111";
const std::string kTable = "22222222-2222-4222-8222-222222222222";

std::vector<std::string> Fields(const core::FieldErrors& errors) {
  std::vector<std::string> fields;
  for (const auto& error : errors) fields.push_back(error.field);
  return fields;
}

core::FieldErrors CreateProblems(const json& body) {
  const auto result = ReadCreateOrder(body);
  const auto* errors = std::get_if<core::FieldErrors>(&result);
  return errors ? *errors : core::FieldErrors{};
}

TEST(CreateOrderRequest, ReadsTheLinesAndLowersTheIds) {
  const auto result =
      ReadCreateOrder({{"items",
                         {{{"product_id", "11111111-1111-4111-8111-11111111111A"}, {"quantity", 2}},
                          {{"product_id", kTable}, {"quantity", 1000}}}}});
  ASSERT_TRUE(std::holds_alternative<std::vector<RequestedLine>>(result));
  EXPECT_EQ(std::get<std::vector<RequestedLine>>(result),
            (std::vector<RequestedLine>{{"11111111-1111-4111-8111-11111111111a", 2}, {kTable, 1000}}));
}

TEST(CreateOrderRequest, TheBodyMustBeAnObjectWithItems) {
  EXPECT_EQ(Fields(CreateProblems(json::array())), std::vector<std::string>{""});
  EXPECT_EQ(Fields(CreateProblems(json::object())), std::vector<std::string>{"items"});
  EXPECT_EQ(Fields(CreateProblems({{"items", json::array()}})), std::vector<std::string>{"items"});
  EXPECT_EQ(Fields(CreateProblems({{"items", "chair"}})), std::vector<std::string>{"items"});
  EXPECT_EQ(Fields(CreateProblems({{"items", {{{"product_id", kChair}, {"quantity", 1}}}}, {"coupon", "X"}})),
            std::vector<std::string>{"coupon"});
}

TEST(CreateOrderRequest, AtMostOneHundredLines) {
  json items = json::array();
  for (int i = 0; i < 101; ++i) {
    char id[37];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    items.push_back({{"product_id", id}, {"quantity", 1}});
  }
  EXPECT_EQ(Fields(CreateProblems({{"items", items}})), std::vector<std::string>{"items"});
  items.erase(items.end() - 1);
  EXPECT_TRUE(std::holds_alternative<std::vector<RequestedLine>>(ReadCreateOrder({{"items", items}})));
}

TEST(CreateOrderRequest, EveryBadLineFieldIsNamedAtOnce) {
  const json body = {{"items",
                      {"not an object",
                       {{"quantity", 1}},
                       {{"product_id", "chair"}, {"quantity", 0}},
                       {{"product_id", kChair}, {"quantity", 1001}},
                       {{"product_id", kTable}, {"quantity", 1.5}},
                       {{"product_id", kTable.substr(0, 35) + "3"}, {"quantity", -1}},
                       {{"product_id", 42}, {"quantity", "2"}},
                       {{"product_id", kChair}},
                       {{"product_id", kTable}, {"quantity", 1}, {"price_minor", 1}}}}};
  EXPECT_EQ(
      Fields(CreateProblems(body)),
      (std::vector<std::string>{"items[0]", "items[1].product_id", "items[2].product_id", "items[2].quantity",
                                "items[3].quantity", "items[4].quantity", "items[5].quantity",
                                "items[6].product_id", "items[6].quantity", "items[7].product_id",
                                "items[7].quantity", "items[8].price_minor", "items[8].product_id"}));
}

TEST(CreateOrderRequest, ARepeatedProductIsRefusedOnItsLaterLineWhateverTheCase) {
  std::string upper = kChair;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto problems = CreateProblems(
      {{"items", {{{"product_id", kChair}, {"quantity", 1}}, {{"product_id", upper}, {"quantity", 2}}}}});
  ASSERT_EQ(Fields(problems), std::vector<std::string>{"items[1].product_id"});
  EXPECT_NE(problems[0].message.find("items[0]"), std::string::npos) << problems[0].message;
}

// The route checks the header with http::IdempotencyKey: the rule is the platform's.
std::optional<core::FieldError> KeyError(const std::optional<std::string_view>& key) {
  http::Request request;
  if (key) request.headers.Set("Idempotency-Key", std::string(*key));
  auto checked = http::IdempotencyKey(request);
  if (auto* error = std::get_if<core::FieldError>(&checked)) return *error;
  return std::nullopt;
}

TEST(IdempotencyKey, RequiredPrintableAsciiUpTo200Bytes) {
  EXPECT_EQ(KeyError("a"), std::nullopt);
  EXPECT_EQ(KeyError(std::string(200, 'k')), std::nullopt);
  EXPECT_EQ(KeyError("order attempt #1 ~ ok"), std::nullopt);
  for (const std::optional<std::string_view> bad :
       {std::optional<std::string_view>(), std::optional<std::string_view>(""),
        std::optional<std::string_view>(std::string_view("\x01key")), std::optional<std::string_view>("ключ"),
        std::optional<std::string_view>("tab\there")}) {
    const auto problem = KeyError(bad);
    ASSERT_TRUE(problem.has_value());
    EXPECT_EQ(problem->field, "Idempotency-Key");
  }
  const std::string too_long(201, 'k');
  EXPECT_TRUE(KeyError(std::string_view(too_long)).has_value());
}

TEST(Cursor, RoundTripsAndRefusesAnythingElse) {
  const OrderCursor cursor{1'732'356'000'123'456, kChair};
  EXPECT_EQ(DecodeCursor(EncodeCursor(cursor)), cursor);
  EXPECT_EQ(DecodeCursor(""), std::nullopt);
  EXPECT_EQ(DecodeCursor("!!!"), std::nullopt);
  EXPECT_EQ(DecodeCursor("e30"), std::nullopt);  // {}
  const auto encode = [](const json& value) { return core::Base64UrlEncode(value.dump()); };
  EXPECT_EQ(DecodeCursor(encode({{"c", 1}, {"i", kChair}})), (OrderCursor{1, kChair}));
  EXPECT_EQ(DecodeCursor(encode({{"c", 1}, {"i", "not-a-uuid"}})), std::nullopt);
  EXPECT_EQ(DecodeCursor(encode({{"c", "1"}, {"i", kChair}})), std::nullopt);
  EXPECT_EQ(DecodeCursor(encode({{"c", 1.5}, {"i", kChair}})), std::nullopt);
  EXPECT_EQ(DecodeCursor(encode({{"c", 18446744073709551615u}, {"i", kChair}})), std::nullopt);
  std::string upper = kChair;
  upper[0] = 'A';
  upper[1] = 'B';
  EXPECT_EQ(DecodeCursor(encode({{"c", 1}, {"i", "ab" + kChair.substr(2)}})),
            (OrderCursor{1, "ab" + kChair.substr(2)}));
  EXPECT_EQ(DecodeCursor(encode({{"c", 1}, {"i", upper}})), std::nullopt);
  EXPECT_EQ(DecodeCursor(encode({{"c", 1}, {"i", kChair}, {"x", 0}})), std::nullopt);
  // Only the spelling EncodeCursor writes: not the same position written otherwise.
  const std::string written = EncodeCursor({1, kChair});
  EXPECT_EQ(DecodeCursor(written + "="), std::nullopt);
  EXPECT_EQ(DecodeCursor(core::Base64UrlEncode(R"({"i":")" + kChair + R"(","c":1})")), std::nullopt);
  EXPECT_EQ(DecodeCursor(core::Base64UrlEncode(R"({"c": 1, "i":")" + kChair + R"("})")), std::nullopt);
}

TEST(ListQuery, DefaultsAndValues) {
  auto result = ReadListQuery({});
  ASSERT_TRUE(std::holds_alternative<OrderListQuery>(result));
  EXPECT_EQ(std::get<OrderListQuery>(result), OrderListQuery{});
  EXPECT_EQ(std::get<OrderListQuery>(result).limit, 20u);

  const OrderCursor cursor{42, kChair};
  result = ReadListQuery({{"customer_id", "c-1"},
                           {"status", "PENDING,RESERVED,PENDING"},
                           {"limit", "100"},
                           {"cursor", EncodeCursor(cursor)}});
  ASSERT_TRUE(std::holds_alternative<OrderListQuery>(result));
  const auto& query = std::get<OrderListQuery>(result);
  EXPECT_EQ(query.customer_id, "c-1");
  EXPECT_EQ(query.statuses, (std::vector<OrderStatus>{OrderStatus::kPending, OrderStatus::kReserved}));
  EXPECT_EQ(query.limit, 100u);
  EXPECT_EQ(query.after, cursor);
}

TEST(ListQuery, BadUnknownAndRepeatedParametersAreNamed) {
  const auto result = ReadListQuery({{"limit", "0"},
                                      {"status", "PENDING,SHIPPED"},
                                      {"cursor", "nope"},
                                      {"customer_id", ""},
                                      {"sort", "newest"},
                                      {"limit", "5"}});
  ASSERT_TRUE(std::holds_alternative<core::FieldErrors>(result));
  // http::QueryReader's order: unknown and repeated names first, then each parameter read; a
  // repeated one is named once, its values unread.
  EXPECT_EQ(Fields(std::get<core::FieldErrors>(result)),
            (std::vector<std::string>{"sort", "limit", "customer_id", "status", "cursor"}));
  for (const char* limit : {"101", "-1", "ten", "1.5", ""}) {
    EXPECT_TRUE(std::holds_alternative<core::FieldErrors>(ReadListQuery({{"limit", limit}}))) << limit;
  }
  for (const char* status : {"", ",", "PENDING,", "pending", "PAID,,CANCELLED"}) {
    EXPECT_TRUE(std::holds_alternative<core::FieldErrors>(ReadListQuery({{"status", status}}))) << status;
  }
}

TEST(OrderJson, ThePublicRepresentation) {
  Order order;
  order.id = "0f0e0d0c-0b0a-4908-8706-050403020100";
  order.customer_id = "c0ffee00-0000-4000-8000-000000000001";
  order.items = {{"11111111-1111-4111-8111-111111111111", "OAK-1", "Oak chair", 2, 649000, 1298000},
                 {"22222222-2222-4222-8222-222222222222", "LAMP-1", "Lamp", 1, 5000, 5000}};
  order.total_minor = 1303000;
  order.currency = "RUB";
  order.created_at = "2026-11-23T10:00:00.123Z";
  order.updated_at = "2026-11-23T10:00:00.123Z";
  order.idempotency_key = "k1";
  order.state = {.status = OrderStatus::kCancelled,
                 .reason = CancelReason::kCustomerCancelled,
                 .version = 4,
                 .reservation_version = 1,
                 .payment_version = 1,
                 .stock_released = true,
                 .refunded = false};
  const json body = OrderJson(order);
  EXPECT_EQ(body["id"], order.id);
  EXPECT_EQ(body["customer_id"], order.customer_id);
  EXPECT_EQ(body["status"], "CANCELLED");
  EXPECT_EQ(body["reason"], "customer_cancelled");
  EXPECT_EQ(body["version"], 4);
  EXPECT_EQ(body["items"].size(), 2u);
  EXPECT_EQ(body["items"][0]["line_total_minor"], 1298000);
  EXPECT_EQ(body["total_minor"], 1303000);
  EXPECT_EQ(body["currency"], "RUB");
  EXPECT_EQ(body["stock_released"], true);
  EXPECT_EQ(body["refunded"], false);
  EXPECT_EQ(body["created_at"], order.created_at);
  EXPECT_EQ(body["updated_at"], order.updated_at);
  EXPECT_EQ(body.size(), 12u);  // nothing internal (versions of sources, idempotency key) leaks
  order.state = {};
  EXPECT_EQ(OrderJson(order)["reason"], nullptr);
}

}  // namespace
}  // namespace microstore::order::api
