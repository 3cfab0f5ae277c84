// Reading the order API's requests: create bodies, Idempotency-Key, list queries and cursors.
#include "order/domain/requests.hpp"

#include <gtest/gtest.h>

#include "platform/core/encoding.hpp"

namespace microstore::order {
namespace {

using nlohmann::json;

const std::string kChair = "11111111-1111-4111-8111-111111111111";
const std::string kTable = "22222222-2222-4222-8222-222222222222";

std::vector<std::string> Fields(const Problems& problems) {
  std::vector<std::string> fields;
  for (const auto& problem : problems) fields.push_back(problem.field);
  return fields;
}

Problems CreateProblems(const json& body) {
  const auto result = ParseCreateOrder(body);
  const auto* problems = std::get_if<Problems>(&result);
  return problems ? *problems : Problems{};
}

TEST(CreateOrderRequest, ReadsTheLinesAndLowersTheIds) {
  const auto result =
      ParseCreateOrder({{"items",
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
  EXPECT_TRUE(std::holds_alternative<std::vector<RequestedLine>>(ParseCreateOrder({{"items", items}})));
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

TEST(IdempotencyKey, RequiredPrintableAsciiUpTo200Bytes) {
  EXPECT_EQ(CheckIdempotencyKey("a"), std::nullopt);
  EXPECT_EQ(CheckIdempotencyKey(std::string(200, 'k')), std::nullopt);
  EXPECT_EQ(CheckIdempotencyKey("order attempt #1 ~ ok"), std::nullopt);
  for (const std::optional<std::string_view> bad :
       {std::optional<std::string_view>(), std::optional<std::string_view>(""),
        std::optional<std::string_view>(std::string_view("\x01key")), std::optional<std::string_view>("ключ"),
        std::optional<std::string_view>("tab\there")}) {
    const auto problem = CheckIdempotencyKey(bad);
    ASSERT_TRUE(problem.has_value());
    EXPECT_EQ(problem->field, "Idempotency-Key");
  }
  const std::string too_long(201, 'k');
  EXPECT_TRUE(CheckIdempotencyKey(std::string_view(too_long)).has_value());
}

TEST(RequestFingerprint, DependsOnEveryLineAndItsOrder) {
  const std::vector<RequestedLine> lines{{kChair, 1}, {kTable, 2}};
  EXPECT_EQ(RequestFingerprint(lines), RequestFingerprint({{kChair, 1}, {kTable, 2}}));
  EXPECT_NE(RequestFingerprint(lines), RequestFingerprint({{kChair, 1}, {kTable, 3}}));
  EXPECT_NE(RequestFingerprint(lines), RequestFingerprint({{kTable, 2}, {kChair, 1}}));
  EXPECT_NE(RequestFingerprint(lines), RequestFingerprint({{kChair, 1}}));
  EXPECT_EQ(RequestFingerprint(lines).size(), 64u);
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
}

TEST(ListQuery, DefaultsAndValues) {
  auto result = ParseListQuery({});
  ASSERT_TRUE(std::holds_alternative<OrderListQuery>(result));
  EXPECT_EQ(std::get<OrderListQuery>(result), OrderListQuery{});
  EXPECT_EQ(std::get<OrderListQuery>(result).limit, 20u);

  const OrderCursor cursor{42, kChair};
  result = ParseListQuery({{"customer_id", "c-1"},
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
  const auto result = ParseListQuery({{"limit", "0"},
                                      {"status", "PENDING,SHIPPED"},
                                      {"cursor", "nope"},
                                      {"customer_id", ""},
                                      {"sort", "newest"},
                                      {"limit", "5"}});
  ASSERT_TRUE(std::holds_alternative<Problems>(result));
  EXPECT_EQ(Fields(std::get<Problems>(result)),
            (std::vector<std::string>{"limit", "status", "cursor", "customer_id", "sort", "limit"}));
  for (const char* limit : {"101", "-1", "ten", "1.5", ""}) {
    EXPECT_TRUE(std::holds_alternative<Problems>(ParseListQuery({{"limit", limit}}))) << limit;
  }
  for (const char* status : {"", ",", "PENDING,", "pending", "PAID,,CANCELLED"}) {
    EXPECT_TRUE(std::holds_alternative<Problems>(ParseListQuery({{"status", status}}))) << status;
  }
}

}  // namespace
}  // namespace microstore::order
