// The HTTP API against a real database: reading items, the operators' restocks and adjustments
// with their audit log and events, reservations, totals, and who may call what.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace microstore::stock::testing {
namespace {

using auth::Role;
using nlohmann::json;

const std::string kChair = Id('a', 1);
const std::string kTable = Id('a', 2);
const std::string kUnknown = Id('a', 9);

class StockApi : public ::testing::Test {
 protected:
  std::string ItemPath(const std::string& product, const std::string& rest = "") {
    return "/api/v1/items/" + product + rest;
  }
  Reply Restock(const std::string& product, json body, auth::RoleSet roles = {Role::kStockOperator},
                std::vector<std::string> headers = {}) {
    return stock_.Post(ItemPath(product, "/restock"), body, roles, std::move(headers));
  }
  Reply Adjust(const std::string& product, json body, auth::RoleSet roles = {Role::kStockOperator}) {
    return stock_.Post(ItemPath(product, "/adjustments"), body, roles);
  }
  Reply GetAs(const std::string& target, auth::RoleSet roles) {
    return stock_.Get(target, {stock_.Bearer(roles)});
  }
  std::int64_t Rows(const std::string& table) { return stock_.Count("SELECT count(*) FROM " + table); }

  StockHarness stock_;
};

TEST_F(StockApi, AnyoneReadsAnItem) {
  stock_.AddProduct(kChair, 7);
  const Reply reply = stock_.Get(ItemPath(kChair));
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body, (json{{"product_id", kChair},
                              {"free", 7},
                              {"reserved", 0},
                              {"shipped", 0},
                              {"in_stock", true},
                              {"version", 2}}));
  std::string upper = kChair;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(stock_.Get(ItemPath(upper)).body, reply.body);

  EXPECT_EQ(stock_.Get(ItemPath(kUnknown)).status, 404);
  EXPECT_EQ(stock_.Get(ItemPath("chair")).status, 404);
  const Reply with_query = stock_.Get(ItemPath(kChair) + "?fields=free");
  EXPECT_EQ(with_query.status, 422);
  EXPECT_EQ(with_query.ErrorFields(), (std::vector<std::string>{"fields"}));
}

TEST_F(StockApi, AnyoneLooksUpSeveralItemsAtOnce) {
  stock_.AddProduct(kChair, 7);
  stock_.AddProduct(kTable, 0);
  const Reply reply = stock_.Get("/api/v1/items?product_id=" + kTable + "," + kUnknown + "," + kChair);
  ASSERT_EQ(reply.status, 200) << reply.text;
  ASSERT_EQ(reply.body["items"].size(), 2u);
  EXPECT_EQ(reply.body["items"][0]["product_id"], kTable);
  EXPECT_EQ(reply.body["items"][0]["in_stock"], false);
  EXPECT_EQ(reply.body["items"][1]["product_id"], kChair);
  EXPECT_EQ(reply.body["items"][1]["free"], 7);
  // Comma escaped as %2C reads the same.
  EXPECT_EQ(stock_.Get("/api/v1/items?product_id=" + kTable + "%2C" + kChair).body, reply.body);

  const std::vector<std::string> refused_targets = {
      "/api/v1/items", "/api/v1/items?product_id=", "/api/v1/items?product_id=42",
      "/api/v1/items?product_id=" + kChair + "&limit=5"};
  for (const std::string& bad : refused_targets) {
    const Reply refused = stock_.Get(bad);
    EXPECT_EQ(refused.status, 422) << bad;
    EXPECT_EQ(refused.body["type"], "/problems/validation-failed") << bad;
    EXPECT_FALSE(refused.ErrorFields().empty()) << bad;
  }
}

TEST_F(StockApi, AStockOperatorRestocksWithAnAuditEntryAndAnEvent) {
  stock_.AddProduct(kChair, 0);
  const Reply reply = Restock(kChair, {{"quantity", 12}, {"reason", "delivery 17"}}, {Role::kStockOperator},
                              {"X-Correlation-Id: corr-restock-1", "X-Request-Id: req-restock-1"});
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body, (json{{"product_id", kChair},
                              {"free", 12},
                              {"reserved", 0},
                              {"shipped", 0},
                              {"in_stock", true},
                              {"version", 2}}));
  EXPECT_EQ(stock_.Sql("SELECT kind || ' ' || delta || ' ' || free_after || ' ' || reason || ' ' || actor "
                       "FROM stock_movements"),
            "restock 12 12 delivery 17 operator-1");

  const auto events = stock_.OutboxEvents("StockLevelChanged");
  ASSERT_EQ(events.size(), 2u);
  const json& event = events[1].envelope;
  EXPECT_EQ(event["aggregate"],
            (json{{"type", "stock_item"}, {"id", kChair}, {"version", 2}, {"status", "IN_STOCK"}}));
  EXPECT_EQ(event["payload"], (json{{"product_id", kChair},
                                    {"free", 12},
                                    {"reserved", 0},
                                    {"shipped", 0},
                                    {"in_stock", true},
                                    {"version", 2},
                                    {"cause", "restock"}}));
  EXPECT_EQ(event["correlation_id"], "corr-restock-1");
  EXPECT_EQ(event["causation_id"], "req-restock-1");
  EXPECT_EQ(event["producer"], "stock");
}

TEST_F(StockApi, OnlyAStockOperatorChangesStock) {
  stock_.AddProduct(kChair, 0);
  const json body = {{"quantity", 1}, {"reason", "x"}};
  const std::string restock = ItemPath(kChair, "/restock");
  const std::string adjust = ItemPath(kChair, "/adjustments");
  for (const std::string& path : {restock, adjust}) {
    const json payload = path == restock ? body : json{{"delta", 1}, {"reason", "x"}};
    const Reply anonymous = stock_.Send("POST", path, payload.dump(), {"Content-Type: application/json"});
    EXPECT_EQ(anonymous.status, 401) << path;
    for (Role role : {Role::kCustomer, Role::kOperator, Role::kShippingOperator, Role::kAdmin}) {
      EXPECT_EQ(stock_.Post(path, payload, {role}).status, 403) << path << " " << auth::ToString(role);
    }
  }
  EXPECT_EQ(Rows("stock_movements"), 0);
  EXPECT_EQ(stock_.Get(ItemPath(kChair)).body["free"], 0);
}

TEST_F(StockApi, BadRestocksAreRefusedAndStoreNothing) {
  stock_.AddProduct(kChair, 0);
  const auto outbox_before = Rows("outbox");

  const Reply invalid = Restock(kChair, {{"quantity", 0}, {"reason", ""}, {"free", 5}});
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.body["type"], "/problems/validation-failed");
  EXPECT_EQ(invalid.ErrorFields(), (std::vector<std::string>{"free", "quantity", "reason"}));
  EXPECT_EQ(Restock(kChair, {{"quantity", 1000001}, {"reason", "x"}}).status, 422);

  const Reply query = stock_.Post(ItemPath(kChair, "/restock?force=true"), {{"quantity", 1}, {"reason", "x"}},
                                  {Role::kStockOperator});
  EXPECT_EQ(query.status, 422);
  EXPECT_EQ(query.ErrorFields(), (std::vector<std::string>{"force"}));

  const std::string bearer = stock_.Bearer({Role::kStockOperator});
  EXPECT_EQ(
      stock_.Send("POST", ItemPath(kChair, "/restock"), R"({"quantity": 1, "reason": "x"})", {bearer}).status,
      415);
  EXPECT_EQ(stock_
                .Send("POST", ItemPath(kChair, "/restock"), R"({"quantity": 1,)",
                      {bearer, "Content-Type: application/json"})
                .status,
            400);

  const Reply unknown = Restock(kUnknown, {{"quantity", 1}, {"reason", "x"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(Restock("not-a-uuid", {{"quantity", 1}, {"reason", "x"}}).status, 404);

  EXPECT_EQ(Rows("stock_movements"), 0);
  EXPECT_EQ(Rows("outbox"), outbox_before);
  EXPECT_EQ(Rows("stock_items"), 1);
}

TEST_F(StockApi, AdjustmentsMoveFreeStockButNeverBelowZero) {
  stock_.AddProduct(kChair, 5);
  const Reply down = Adjust(kChair, {{"delta", -3}, {"reason", "water damage"}});
  ASSERT_EQ(down.status, 200) << down.text;
  EXPECT_EQ(down.body["free"], 2);
  EXPECT_EQ(down.body["version"], 3);
  const Reply up = Adjust(kChair, {{"delta", 4}, {"reason", "found on the shelf"}});
  EXPECT_EQ(up.body["free"], 6);

  const auto outbox_before = Rows("outbox");
  const Reply too_much = Adjust(kChair, {{"delta", -7}, {"reason", "lost"}});
  EXPECT_EQ(too_much.status, 409) << too_much.text;
  EXPECT_EQ(too_much.body["type"], "/problems/insufficient-stock");
  EXPECT_EQ(too_much.ErrorFields(), (std::vector<std::string>{"delta"}));
  EXPECT_EQ(stock_.Get(ItemPath(kChair)).body["free"], 6);
  EXPECT_EQ(Rows("outbox"), outbox_before);

  const Reply zero = Adjust(kChair, {{"delta", 0}, {"reason", "nothing"}});
  EXPECT_EQ(zero.status, 422);
  EXPECT_EQ(zero.ErrorFields(), (std::vector<std::string>{"delta"}));
  EXPECT_EQ(Adjust(kUnknown, {{"delta", 1}, {"reason", "x"}}).status, 404);

  const auto events = stock_.OutboxEvents("StockLevelChanged");
  EXPECT_EQ(events.back().envelope["payload"]["cause"], "adjustment");
  EXPECT_EQ(events.back().envelope["payload"]["free"], 6);
}

TEST_F(StockApi, StaffPageThroughAProductsMovementsNewestFirst) {
  stock_.AddProduct(kChair, 10);  // restock 10
  Adjust(kChair, {{"delta", -1}, {"reason", "a"}});
  Adjust(kChair, {{"delta", -1}, {"reason", "b"}});
  const std::string order = Id('0', 1);
  ASSERT_EQ(Outcomes(stock_.Deliver({OrderCreatedEvent(order, {{kChair, 3}})})), "ack");
  ASSERT_EQ(Outcomes(stock_.Deliver({PaymentFailedEvent(order)})), "ack");

  const std::string path = ItemPath(kChair, "/movements");
  const Reply first = GetAs(path + "?limit=2", {Role::kOperator});
  ASSERT_EQ(first.status, 200) << first.text;
  ASSERT_EQ(first.body["items"].size(), 2u);
  const json& release = first.body["items"][0];
  EXPECT_EQ(release["kind"], "release");
  EXPECT_EQ(release["delta"], 3);
  EXPECT_EQ(release["free_after"], 8);
  EXPECT_EQ(release["reserved_after"], 0);
  EXPECT_EQ(release["reason"], "payment_failed");
  EXPECT_EQ(release["order_id"], order);
  EXPECT_EQ(release["actor"], nullptr);
  EXPECT_EQ(release["product_id"], kChair);
  EXPECT_TRUE(release["occurred_at"].is_string());
  EXPECT_EQ(first.body["items"][1]["kind"], "reservation");
  ASSERT_TRUE(first.body.contains("next_cursor"));

  const Reply second =
      GetAs(path + "?limit=2&cursor=" + first.body["next_cursor"].get<std::string>(), {Role::kStockOperator});
  ASSERT_EQ(second.status, 200);
  ASSERT_EQ(second.body["items"].size(), 2u);
  EXPECT_EQ(second.body["items"][0]["reason"], "b");
  EXPECT_EQ(second.body["items"][0]["actor"], "operator-1");
  EXPECT_EQ(second.body["items"][1]["reason"], "a");
  const Reply last = GetAs(path + "?limit=2&cursor=" + second.body["next_cursor"].get<std::string>(),
                           {Role::kStockOperator});
  ASSERT_EQ(last.body["items"].size(), 1u);
  EXPECT_EQ(last.body["items"][0]["kind"], "restock");
  EXPECT_FALSE(last.body.contains("next_cursor"));

  EXPECT_EQ(GetAs(path, {Role::kStockOperator}).body["items"].size(), 5u);
  EXPECT_EQ(stock_.Get(path).status, 401);
  EXPECT_EQ(GetAs(path, {Role::kCustomer}).status, 403);
  EXPECT_EQ(GetAs(path, {Role::kAdmin}).status, 403);
  EXPECT_EQ(GetAs(ItemPath(kUnknown, "/movements"), {Role::kOperator}).status, 404);
  EXPECT_EQ(GetAs(path + "?limit=0", {Role::kOperator}).status, 422);
  EXPECT_EQ(GetAs(path + "?cursor=abc", {Role::kOperator}).status, 422);
  EXPECT_EQ(GetAs(path + "?sort=old", {Role::kOperator}).status, 422);
}

TEST_F(StockApi, StaffReadAReservation) {
  stock_.AddProduct(kChair, 10);
  const std::string order = Id('0', 2);
  ASSERT_EQ(Outcomes(stock_.Deliver({OrderCreatedEvent(order, {{kChair, 3}})})), "ack");

  const Reply reply = GetAs("/api/v1/reservations/" + order, {Role::kStockOperator});
  ASSERT_EQ(reply.status, 200) << reply.text;
  json body = reply.body;
  EXPECT_TRUE(body["created_at"].is_string());
  EXPECT_TRUE(body["updated_at"].is_string());
  body.erase("created_at");
  body.erase("updated_at");
  EXPECT_EQ(body, (json{{"order_id", order},
                        {"customer_id", "c0000000-0000-4000-8000-000000000001"},
                        {"status", "BOOKED"},
                        {"version", 1},
                        {"order_version", 1},
                        {"items", {{{"product_id", kChair}, {"quantity", 3}}}},
                        {"total_minor", 30000},
                        {"currency", "RUB"},
                        {"reason", nullptr},
                        {"missing", json::array()}}));
  EXPECT_EQ(GetAs("/api/v1/reservations/" + order, {Role::kOperator}).status, 200);
  EXPECT_EQ(GetAs("/api/v1/reservations/" + order, {Role::kCustomer}).status, 403);
  EXPECT_EQ(stock_.Get("/api/v1/reservations/" + order).status, 401);
  EXPECT_EQ(GetAs("/api/v1/reservations/" + Id('0', 3), {Role::kOperator}).status, 404);
  EXPECT_EQ(GetAs("/api/v1/reservations/42", {Role::kOperator}).status, 404);

  // A cancellation that came first leaves a tombstone staff can see.
  ASSERT_EQ(Outcomes(stock_.Deliver({OrderCancelledEvent(Id('0', 4))})), "ack");
  const Reply tombstone = GetAs("/api/v1/reservations/" + Id('0', 4), {Role::kOperator});
  EXPECT_EQ(tombstone.body["status"], "CANCELLED");
  EXPECT_EQ(tombstone.body["items"], json::array());
  EXPECT_EQ(tombstone.body["total_minor"], nullptr);
}

TEST_F(StockApi, TotalsBalanceWhatWasReceivedWithFreeReservedAndShipped) {
  stock_.AddProduct(kChair, 10);
  stock_.AddProduct(kTable, 4);
  Adjust(kTable, {{"delta", -1}, {"reason", "broken"}});
  ASSERT_EQ(
      Outcomes(stock_.Deliver({OrderCreatedEvent(Id('0', 5), {{kChair, 3}, {kTable, 1}}),
                               OrderCreatedEvent(Id('0', 6), {{kChair, 1}}), PaymentFailedEvent(Id('0', 6)),
                               OrderCreatedEvent(Id('0', 7), {{kTable, 9}})})),
      "ack ack ack ack");

  const Reply reply = GetAs("/api/v1/totals", {Role::kOperator});
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body,
            (json{{"received", 13}, {"free", 9}, {"reserved", 4}, {"shipped", 0}, {"products", 2}}));
  const json& t = reply.body;
  EXPECT_EQ(t["received"].get<int>(),
            t["free"].get<int>() + t["reserved"].get<int>() + t["shipped"].get<int>());

  EXPECT_EQ(GetAs("/api/v1/totals", {Role::kStockOperator}).status, 200);
  EXPECT_EQ(GetAs("/api/v1/totals", {Role::kCustomer}).status, 403);
  EXPECT_EQ(stock_.Get("/api/v1/totals").status, 401);
  EXPECT_EQ(GetAs("/api/v1/totals?product=1", {Role::kOperator}).status, 422);
}

}  // namespace
}  // namespace microstore::stock::testing
