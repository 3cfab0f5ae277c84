// The order API over HTTP against a real database: placing orders (pricing, Idempotency-Key, the
// one-unpaid-order rule, races), reading, listing, cancelling, and the events each change leaves
// in the outbox.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <regex>
#include <thread>

#include "harness.hpp"
#include "order/app/intake.hpp"
#include "platform/pg/pool.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/testing.hpp"

namespace microstore::order::testing {
namespace {

using auth::Role;
using nlohmann::json;

const std::regex kTimestamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
const std::string kChair = "11111111-1111-4111-8111-111111111111";
const std::string kTable = "22222222-2222-4222-8222-222222222222";
const std::string kLamp = "33333333-3333-4333-8333-333333333333";
const std::string kAlice = "a11ce000-0000-4000-8000-000000000001";
const std::string kBob = "b0b00000-0000-4000-8000-000000000002";
const std::string kOperator = "0be1a700-0000-4000-8000-000000000003";

class OrderApi : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.AddProduct(kChair, "OAK-CHAIR", 649000);
    server_.AddProduct(kTable, "OAK-TABLE", 1500000);
  }

  int Count(const std::string& table) { return std::stoi(server_.Sql("SELECT count(*) FROM " + table)); }

  // Places an order for `customer` and answers its JSON (fails the test unless 202).
  json Place(const std::string& customer, const std::string& key,
             const json& body = OrderBody({{kChair, 1}})) {
    const Reply reply = server_.PlaceOrder(customer, body, key);
    EXPECT_EQ(reply.status, 202) << reply.text;
    return reply.body;
  }

  Reply Cancel(const std::string& subject, const std::string& order_id,
               auth::RoleSet roles = {Role::kCustomer}) {
    return server_.PostAs(subject, roles, "/api/v1/orders/" + order_id + "/cancel");
  }

  OrderServer server_;
};

TEST_F(OrderApi, PlacingAnOrderAnswers202WithItsPriceFixedAndStoresItsEvents) {
  const Reply reply = server_.PlaceOrder(kAlice, OrderBody({{kChair, 2}, {kTable, 1}}), "key-1",
                                         {"X-Correlation-Id: corr-place-1", "X-Request-Id: req-place-1"});
  ASSERT_EQ(reply.status, 202) << reply.text;
  const json& order = reply.body;
  const std::string id = order["id"];
  EXPECT_EQ(reply.Header("Location"), "/api/v1/order/orders/" + id);
  EXPECT_EQ(order["customer_id"], kAlice);
  EXPECT_EQ(order["status"], "PENDING");
  EXPECT_EQ(order["reason"], nullptr);
  EXPECT_EQ(order["version"], 1);
  const json items = {{{"product_id", kChair},
                       {"sku", "OAK-CHAIR"},
                       {"name", "Product OAK-CHAIR"},
                       {"quantity", 2},
                       {"unit_price_minor", 649000},
                       {"line_total_minor", 1298000}},
                      {{"product_id", kTable},
                       {"sku", "OAK-TABLE"},
                       {"name", "Product OAK-TABLE"},
                       {"quantity", 1},
                       {"unit_price_minor", 1500000},
                       {"line_total_minor", 1500000}}};
  EXPECT_EQ(order["items"], items);
  EXPECT_EQ(order["total_minor"], 2798000);
  EXPECT_EQ(order["currency"], "RUB");
  EXPECT_EQ(order["stock_released"], false);
  EXPECT_EQ(order["refunded"], false);
  EXPECT_TRUE(std::regex_match(order["created_at"].get<std::string>(), kTimestamp)) << order;
  EXPECT_EQ(order["created_at"], order["updated_at"]);
  EXPECT_EQ(order.size(), 12u);

  // A later price change does not touch the order.
  ASSERT_EQ(server_.Deliver({ProductEvent("ProductUpdated", kChair, "OAK-CHAIR", 999, "RUB", 2)}),
            std::vector<amqp::Outcome::Kind>{amqp::Outcome::Kind::kAck});
  const Reply fetched = server_.GetAs(kAlice, {Role::kCustomer}, "/api/v1/orders/" + id);
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.body, order);

  const auto events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 2u);
  const json aggregate = {{"type", "order"}, {"id", id}, {"version", 1}, {"status", "PENDING"}};
  for (const auto& event : events) {
    EXPECT_EQ(event.envelope["schema_version"], 1);
    EXPECT_EQ(event.envelope["producer"], "order");
    EXPECT_EQ(event.envelope["node_id"], "order-test-node");
    EXPECT_EQ(event.envelope["aggregate"], aggregate);
    EXPECT_EQ(event.envelope["correlation_id"], "corr-place-1");
    EXPECT_EQ(event.envelope["causation_id"], "req-place-1");
  }
  EXPECT_EQ(events[0].type, "OrderCreated");
  EXPECT_EQ(events[0].envelope["payload"], (json{{"order_id", id},
                                                 {"customer_id", kAlice},
                                                 {"items", items},
                                                 {"total_minor", 2798000},
                                                 {"currency", "RUB"},
                                                 {"created_at", order["created_at"]}}));
  EXPECT_EQ(events[1].type, "OrderStatusChanged");
  EXPECT_EQ(events[1].envelope["payload"], (json{{"order_id", id},
                                                 {"customer_id", kAlice},
                                                 {"status", "PENDING"},
                                                 {"previous_status", nullptr},
                                                 {"reason", nullptr},
                                                 {"version", 1},
                                                 {"changed_at", order["created_at"]}}));
  EXPECT_EQ(server_.Sql("SELECT string_agg(DISTINCT exchange, ',') FROM outbox"), "microstore.order");
}

TEST_F(OrderApi, TheSameKeyAgainAnswersTheSameOrder) {
  const json first = Place(kAlice, "key-1");
  const Reply again = server_.PlaceOrder(kAlice, OrderBody({{kChair, 1}}), "key-1");
  EXPECT_EQ(again.status, 202) << again.text;
  EXPECT_EQ(again.body, first);
  EXPECT_EQ(again.Header("Location"), "/api/v1/order/orders/" + first["id"].get<std::string>());
  EXPECT_EQ(Count("orders"), 1);
  EXPECT_EQ(Count("outbox"), 2);
  // The key belongs to the customer: another customer may use the same text.
  EXPECT_NE(Place(kBob, "key-1")["id"], first["id"]);
}

TEST_F(OrderApi, TheSameKeyWithADifferentRequestIs422) {
  Place(kAlice, "key-1");
  const Reply reply = server_.PlaceOrder(kAlice, OrderBody({{kChair, 2}}), "key-1");
  EXPECT_EQ(reply.status, 422) << reply.text;
  EXPECT_EQ(reply.body["type"], "/problems/idempotency-key-reused");
  EXPECT_EQ(reply.body["detail"], "Idempotency-Key was used for a different request");
  EXPECT_EQ(reply.ErrorFields(), std::vector<std::string>{"Idempotency-Key"});
  EXPECT_EQ(Count("orders"), 1);
}

TEST_F(OrderApi, ASecondUnpaidOrderIs409NamingTheFirst) {
  const json first = Place(kAlice, "key-1");
  const std::string id = first["id"];
  const Reply reply = server_.PlaceOrder(kAlice, OrderBody({{kTable, 1}}), "key-2");
  ASSERT_EQ(reply.status, 409) << reply.text;
  EXPECT_EQ(reply.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(reply.body["type"], "/problems/unpaid-order-exists");
  EXPECT_EQ(reply.body["existing_order_id"], id);
  EXPECT_EQ(reply.body["existing_order_url"], "/api/v1/order/orders/" + id);
  EXPECT_EQ(Count("orders"), 1);
  EXPECT_EQ(Count("outbox"), 2);

  // Still unpaid once reserved.
  microstore::testing::ExecSync(server_.DatabaseUrl(), "UPDATE orders SET status = 'RESERVED'");
  EXPECT_EQ(server_.PlaceOrder(kAlice, OrderBody({{kTable, 1}}), "key-3").status, 409);
  // Another customer is not concerned; a cancelled or paid order no longer blocks.
  Place(kBob, "key-2");
  microstore::testing::ExecSync(server_.DatabaseUrl(),
                                "UPDATE orders SET status = 'PAID' WHERE id = '" + id + "'");
  const json second = Place(kAlice, "key-4", OrderBody({{kTable, 1}}));
  EXPECT_EQ(Cancel(kAlice, second["id"]).status, 200);
  Place(kAlice, "key-5", OrderBody({{kTable, 1}}));
}

// Several customers, each sending two orders at the same moment under different keys: the
// database lets exactly one through per customer, whichever replica or connection asks.
TEST_F(OrderApi, ConcurrentOrdersOfOneCustomerLetExactlyOneThrough) {
  constexpr int kCustomers = 8;
  std::vector<int> statuses(2 * kCustomers);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2 * kCustomers; ++i) {
    threads.emplace_back([this, i, &statuses] {
      const std::string customer = "c0000000-0000-4000-8000-00000000000" + std::to_string(i / 2);
      statuses[static_cast<std::size_t>(i)] =
          server_.PlaceOrder(customer, OrderBody({{kChair, 1 + i % 2}}), "key-" + std::to_string(i)).status;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int customer = 0; customer < kCustomers; ++customer) {
    std::vector<int> pair{statuses[2 * customer], statuses[2 * customer + 1]};
    std::sort(pair.begin(), pair.end());
    EXPECT_EQ(pair, (std::vector<int>{202, 409})) << "customer " << customer;
  }
  EXPECT_EQ(Count("orders"), kCustomers);
  EXPECT_EQ(Count("outbox"), 2 * kCustomers);
}

TEST_F(OrderApi, ConcurrentRepeatsOfOneRequestAllAnswerTheOneOrder) {
  constexpr int kRepeats = 6;
  std::vector<Reply> replies(kRepeats);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRepeats; ++i) {
    threads.emplace_back([this, i, &replies] {
      replies[static_cast<std::size_t>(i)] =
          server_.PlaceOrder(kAlice, OrderBody({{kChair, 3}}), "double-click");
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& reply : replies) {
    EXPECT_EQ(reply.status, 202) << reply.text;
    EXPECT_EQ(reply.body["id"], replies[0].body["id"]);
  }
  EXPECT_EQ(Count("orders"), 1);
}

TEST_F(OrderApi, UnknownAndArchivedProductsAre422NamingTheirLineAndStoreNothing) {
  ASSERT_EQ(server_
                .Deliver({ProductEvent("ProductCreated", kLamp, "LAMP", 5000, "RUB", 1),
                          ProducedEvent("catalog", "ProductArchived", {"product", kLamp, 2, "ARCHIVED"},
                                        {{"product_id", kLamp}, {"sku", "LAMP"}})})
                .back(),
            amqp::Outcome::Kind::kAck);
  const std::string unknown = "44444444-4444-4444-8444-444444444444";
  const Reply reply = server_.PlaceOrder(kAlice, OrderBody({{kChair, 1}, {kLamp, 1}, {unknown, 1}}), "key-1");
  EXPECT_EQ(reply.status, 422) << reply.text;
  EXPECT_EQ(reply.body["type"], "/problems/validation-failed");
  EXPECT_EQ(reply.ErrorFields(), (std::vector<std::string>{"items[1].product_id", "items[2].product_id"}));
  EXPECT_EQ(Count("orders"), 0);
  EXPECT_EQ(Count("outbox"), 0);
}

TEST_F(OrderApi, ProductsInTwoCurrenciesAre422) {
  server_.AddProduct(kLamp, "LAMP", 50, "EUR");
  const Reply reply = server_.PlaceOrder(kAlice, OrderBody({{kChair, 1}, {kLamp, 1}}), "key-1");
  EXPECT_EQ(reply.status, 422) << reply.text;
  EXPECT_EQ(reply.ErrorFields(), std::vector<std::string>{"items[1].product_id"});
  EXPECT_EQ(Count("orders"), 0);
}

TEST_F(OrderApi, BadRequestsAre4xxNamingEveryFieldAndStoreNothing) {
  // No key, and a bad body: both named at once.
  Reply reply = server_.Send("POST", "/api/v1/orders", R"({"items":[{"product_id":"x","quantity":0}]})",
                             {server_.Bearer(kAlice, {Role::kCustomer}), "Content-Type: application/json"});
  EXPECT_EQ(reply.status, 422) << reply.text;
  EXPECT_EQ(reply.ErrorFields(),
            (std::vector<std::string>{"Idempotency-Key", "items[0].product_id", "items[0].quantity"}));
  reply = server_.PlaceOrder(kAlice, OrderBody({{kChair, 1}}), std::string(201, 'k'));
  EXPECT_EQ(reply.status, 422);
  EXPECT_EQ(reply.ErrorFields(), std::vector<std::string>{"Idempotency-Key"});
  reply = server_.PlaceOrder(kAlice, OrderBody({{kChair, 1}, {kChair, 2}}), "key-1");
  EXPECT_EQ(reply.ErrorFields(), std::vector<std::string>{"items[1].product_id"});
  reply = server_.PlaceOrder(kAlice, json::object(), "key-1");
  EXPECT_EQ(reply.ErrorFields(), std::vector<std::string>{"items"});

  reply = server_.Send(
      "POST", "/api/v1/orders", "{not json",
      {server_.Bearer(kAlice, {Role::kCustomer}), "Content-Type: application/json", "Idempotency-Key: k"});
  EXPECT_EQ(reply.status, 400);
  reply = server_.Send(
      "POST", "/api/v1/orders", OrderBody({{kChair, 1}}).dump(),
      {server_.Bearer(kAlice, {Role::kCustomer}), "Content-Type: text/plain", "Idempotency-Key: k"});
  EXPECT_EQ(reply.status, 415);
  EXPECT_EQ(Count("orders"), 0);
  EXPECT_EQ(Count("outbox"), 0);
}

TEST_F(OrderApi, OnlyCustomersPlaceOrders) {
  EXPECT_EQ(server_
                .Send("POST", "/api/v1/orders", OrderBody({{kChair, 1}}).dump(),
                      {"Content-Type: application/json", "Idempotency-Key: k"})
                .status,
            401);
  EXPECT_EQ(server_
                .Send("POST", "/api/v1/orders", OrderBody({{kChair, 1}}).dump(),
                      {server_.Bearer(kOperator, {Role::kOperator}), "Content-Type: application/json",
                       "Idempotency-Key: k"})
                .status,
            403);
}

TEST_F(OrderApi, AnOrderIsReadByItsCustomerAndOperatorsOnly) {
  const std::string id = Place(kAlice, "key-1")["id"];
  const std::string path = "/api/v1/orders/" + id;
  EXPECT_EQ(server_.GetAs(kAlice, {Role::kCustomer}, path).status, 200);
  EXPECT_EQ(server_.GetAs(kOperator, {Role::kOperator}, path).status, 200);
  EXPECT_EQ(server_.GetAs(kBob, {Role::kCustomer}, path).status, 403);
  EXPECT_EQ(server_.GetAs(kAlice, {Role::kAdmin}, path).status, 403);  // roles are flat
  EXPECT_EQ(server_.Send("GET", path).status, 401);
  EXPECT_EQ(
      server_.GetAs(kAlice, {Role::kCustomer}, "/api/v1/orders/44444444-4444-4444-8444-444444444444").status,
      404);
  EXPECT_EQ(server_.GetAs(kAlice, {Role::kCustomer}, "/api/v1/orders/not-an-id").status, 404);
  // Upper-case ids name the same order.
  std::string upper = id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(server_.GetAs(kAlice, {Role::kCustomer}, "/api/v1/orders/" + upper).body["id"], id);
}

TEST_F(OrderApi, CancellingEmitsTheStatusChangeAndOrderCancelledOnce) {
  const json placed = Place(kAlice, "key-1", OrderBody({{kChair, 2}}));
  const std::string id = placed["id"];
  EXPECT_EQ(Cancel(kBob, id).status, 403);
  EXPECT_EQ(Cancel(kAlice, "44444444-4444-4444-8444-444444444444").status, 404);

  const Reply reply =
      server_.Send("POST", "/api/v1/orders/" + id + "/cancel", "",
                   {server_.Bearer(kAlice, {Role::kCustomer}), "X-Correlation-Id: corr-cancel"});
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["status"], "CANCELLED");
  EXPECT_EQ(reply.body["reason"], "customer_cancelled");
  EXPECT_EQ(reply.body["version"], 2);

  auto events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 4u);
  const json aggregate = {{"type", "order"}, {"id", id}, {"version", 2}, {"status", "CANCELLED"}};
  EXPECT_EQ(events[2].type, "OrderStatusChanged");
  EXPECT_EQ(events[2].envelope["aggregate"], aggregate);
  EXPECT_EQ(events[2].envelope["correlation_id"], "corr-cancel");
  EXPECT_EQ(events[2].envelope["payload"], (json{{"order_id", id},
                                                 {"customer_id", kAlice},
                                                 {"status", "CANCELLED"},
                                                 {"previous_status", "PENDING"},
                                                 {"reason", "customer_cancelled"},
                                                 {"version", 2},
                                                 {"changed_at", reply.body["updated_at"]}}));
  EXPECT_EQ(events[3].type, "OrderCancelled");
  EXPECT_EQ(events[3].envelope["aggregate"], aggregate);
  EXPECT_EQ(events[3].envelope["payload"], (json{{"order_id", id},
                                                 {"customer_id", kAlice},
                                                 {"reason", "customer_cancelled"},
                                                 {"previous_status", "PENDING"},
                                                 {"version", 2},
                                                 {"items", {{{"product_id", kChair}, {"quantity", 2}}}},
                                                 {"total_minor", 1298000},
                                                 {"currency", "RUB"},
                                                 {"cancelled_at", reply.body["updated_at"]}}));

  // Again: the same order, nothing new.
  const Reply again = Cancel(kAlice, id);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, reply.body);
  EXPECT_EQ(Count("outbox"), 4);
}

TEST_F(OrderApi, AnOperatorCancelsAnyOrder) {
  const std::string id = Place(kAlice, "key-1")["id"];
  const Reply reply = Cancel(kOperator, id, {Role::kOperator});
  EXPECT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body["reason"], "operator_cancelled");
}

TEST_F(OrderApi, ListingPagesNewestFirstAndCustomersSeeOnlyTheirOwn) {
  // Five orders of Alice (each cancelled to allow the next) and one of Bob.
  std::vector<std::string> alice;
  for (int i = 0; i < 5; ++i) {
    alice.push_back(Place(kAlice, "key-" + std::to_string(i))["id"]);
    if (i < 4) {
      ASSERT_EQ(Cancel(kAlice, alice.back()).status, 200);
    }
  }
  const std::string bob = Place(kBob, "key-b")["id"];

  std::vector<std::string> seen;
  std::string target = "/api/v1/orders?limit=2";
  for (int page = 0; page < 5 && !target.empty(); ++page) {
    const Reply reply = server_.GetAs(kAlice, {Role::kCustomer}, target);
    ASSERT_EQ(reply.status, 200) << reply.text;
    EXPECT_LE(reply.body["items"].size(), 2u);
    for (const auto& item : reply.body["items"]) seen.push_back(item["id"]);
    target = reply.body.contains("next_cursor")
                 ? "/api/v1/orders?limit=2&cursor=" + reply.body["next_cursor"].get<std::string>()
                 : "";
  }
  EXPECT_EQ(seen, (std::vector<std::string>{alice[4], alice[3], alice[2], alice[1], alice[0]}));

  // Filters: a customer by status; naming someone else is refused.
  Reply reply = server_.GetAs(kAlice, {Role::kCustomer}, "/api/v1/orders?status=PENDING");
  ASSERT_EQ(reply.body["items"].size(), 1u);
  EXPECT_EQ(reply.body["items"][0]["id"], alice[4]);
  EXPECT_FALSE(reply.body.contains("next_cursor"));
  EXPECT_EQ(server_.GetAs(kAlice, {Role::kCustomer}, "/api/v1/orders?customer_id=" + kBob).status, 403);
  EXPECT_EQ(server_.GetAs(kAlice, {Role::kCustomer}, "/api/v1/orders?customer_id=" + kAlice).status, 200);

  // An operator sees everybody and filters by customer and statuses.
  reply = server_.GetAs(kOperator, {Role::kOperator}, "/api/v1/orders");
  EXPECT_EQ(reply.body["items"].size(), 6u);
  EXPECT_EQ(reply.body["items"][0]["id"], bob);
  reply = server_.GetAs(kOperator, {Role::kOperator}, "/api/v1/orders?customer_id=" + kBob);
  ASSERT_EQ(reply.body["items"].size(), 1u);
  reply = server_.GetAs(kOperator, {Role::kOperator}, "/api/v1/orders?status=PENDING,RESERVED");
  EXPECT_EQ(reply.body["items"].size(), 2u);
  reply =
      server_.GetAs(kOperator, {Role::kOperator}, "/api/v1/orders?status=CANCELLED&customer_id=" + kAlice);
  EXPECT_EQ(reply.body["items"].size(), 4u);

  reply = server_.GetAs(kOperator, {Role::kOperator}, "/api/v1/orders?sort=oldest&limit=0");
  EXPECT_EQ(reply.status, 422);
  EXPECT_EQ(reply.ErrorFields(), (std::vector<std::string>{"sort", "limit"}));
  EXPECT_EQ(server_.GetAs(kOperator, {Role::kOperator}, "/api/v1/orders?cursor=garbage").status, 422);
  EXPECT_EQ(server_.GetAs(kOperator, {Role::kStockOperator}, "/api/v1/orders").status, 403);
}

TEST_F(OrderApi, StatsCountEveryStatusForOperators) {
  Reply reply = server_.GetAs(kOperator, {Role::kOperator}, "/api/v1/orders/stats");
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body, (json{{"by_status", {{"PENDING", 0}, {"RESERVED", 0}, {"PAID", 0}, {"CANCELLED", 0}}},
                              {"total", 0},
                              {"oldest_in_progress_at", nullptr}}));
  const json first = Place(kAlice, "key-1");
  Cancel(kAlice, first["id"]);
  const json second = Place(kAlice, "key-2");
  Place(kBob, "key-3");
  reply = server_.GetAs(kOperator, {Role::kOperator}, "/api/v1/orders/stats");
  EXPECT_EQ(reply.body["by_status"], (json{{"PENDING", 2}, {"RESERVED", 0}, {"PAID", 0}, {"CANCELLED", 1}}));
  EXPECT_EQ(reply.body["total"], 3);
  EXPECT_EQ(reply.body["oldest_in_progress_at"], second["created_at"]);
  EXPECT_EQ(server_.GetAs(kAlice, {Role::kCustomer}, "/api/v1/orders/stats").status, 403);
  const Reply unknown = server_.GetAs(kOperator, {Role::kOperator}, "/api/v1/orders/stats?since=today");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.ErrorFields(), std::vector<std::string>{"since"});
}

// Admission control: past the bound, new orders are refused at once with 503 and Retry-After;
// bad input is still told what is wrong first.
TEST(OrderIntake, RefusesNewOrdersWith503WhileTheBoundIsReached) {
  OrderServer server(1);
  server.AddProduct(kChair, "OAK-CHAIR", 649000);
  ASSERT_EQ(server.PlaceOrder(kAlice, OrderBody({{kChair, 1}}), "key-1").status, 202);

  const Reply refused = server.PlaceOrder(kBob, OrderBody({{kChair, 1}}), "key-2");
  EXPECT_EQ(refused.status, 503) << refused.text;
  EXPECT_EQ(refused.Header("Retry-After"), "1");
  EXPECT_EQ(refused.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(refused.body["type"], "/problems/overloaded");
  EXPECT_EQ(server.Sql("SELECT count(*) FROM orders"), "1");
  EXPECT_TRUE(server.OutboxEvents("OrderCreated").size() == 1);

  const Reply invalid = server.PlaceOrder(kBob, OrderBody({{kChair, 0}}), "key-3");
  EXPECT_EQ(invalid.status, 422) << invalid.text;
}

// The recount reads the orders the saga is still working on, whoever created them, and lets new
// ones in again once they are done.
boost::asio::awaitable<void> FollowsTheOrdersInFlight(const OrderServer* server) {
  const auto executor = co_await boost::asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = server->DatabaseUrl(), .max_size = 1});
  Intake intake(pool, {.max_in_flight = 2, .recount = std::chrono::milliseconds(10)});
  EXPECT_TRUE(intake.Admits());  // nothing counted yet
  intake.Start();
  const Intake* watched = &intake;
  co_await microstore::testing::WaitUntil([watched] { return !watched->Admits(); });
  server->Exec("UPDATE orders SET status = 'PAID' WHERE customer_id = '" + kAlice + "'");
  co_await microstore::testing::WaitUntil([watched] { return watched->Admits(); });
  intake.Accepted();  // one more created here since the count: the bound is reached again
  EXPECT_FALSE(intake.Admits());
  intake.Stop();
}

TEST(OrderIntake, CountsTheOrdersInFlightInTheDatabase) {
  OrderServer server;
  server.AddProduct(kChair, "OAK-CHAIR", 649000);
  ASSERT_EQ(server.PlaceOrder(kAlice, OrderBody({{kChair, 1}}), "key-1").status, 202);
  ASSERT_EQ(server.PlaceOrder(kBob, OrderBody({{kChair, 1}}), "key-2").status, 202);
  boost::asio::io_context io;
  microstore::testing::Run(io, FollowsTheOrdersInFlight(&server));
}

}  // namespace
}  // namespace microstore::order::testing
