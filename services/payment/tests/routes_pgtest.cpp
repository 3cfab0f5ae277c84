// The HTTP API against a real database: accounts, deposits and their idempotency (also under
// concurrency), the transaction history, payments of an order with the owner check, the ledger,
// roles, and bad input.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

#include "platform/core/ids.hpp"
#include "harness.hpp"

namespace microstore::payment::testing {
namespace {

using auth::Role;
using Kind = amqp::Outcome::Kind;
using nlohmann::json;

const std::regex kTimestamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");

class PaymentRoutes : public ::testing::Test {
 protected:
  Reply AsCustomer(const std::string& target) { return server_.GetAs(target, customer_, {Role::kCustomer}); }
  Reply AsOperator(const std::string& target) {
    return server_.GetAs(target, core::NewUuid(), {Role::kOperator});
  }
  Reply PostDeposit(const std::string& body, std::vector<std::string> headers) {
    headers.push_back(server_.Bearer(customer_, {Role::kCustomer}));
    return server_.Send("POST", "/api/v1/accounts/me/deposits", body, headers);
  }
  int Count(const std::string& sql) { return std::stoi(server_.Sql(sql)); }

  PaymentServer server_;
  const std::string customer_ = core::NewUuid();
};

TEST_F(PaymentRoutes, ACustomerWithoutAccountSeesAnEmptyOneAtZero) {
  const Reply reply = AsCustomer("/api/v1/accounts/me");
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.body, (json{{"customer_id", customer_},
                              {"balance_minor", 0},
                              {"currency", "RUB"},
                              {"version", 0},
                              {"updated_at", nullptr}}));
  EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 0);  // reading creates nothing
}

TEST_F(PaymentRoutes, ADepositCreditsTheAccountAndAnswers201WithLocation) {
  const Reply reply = server_.Deposit(customer_, 12990, "first-deposit");
  ASSERT_EQ(reply.status, 201) << reply.text;
  EXPECT_EQ(reply.Header("Location"), "/api/v1/payment/accounts/me");
  EXPECT_EQ(reply.body["balance_minor"], 12990);
  const json& deposit = reply.body["deposit"];
  EXPECT_EQ(deposit["amount_minor"], 12990);
  EXPECT_EQ(deposit["currency"], "RUB");
  EXPECT_TRUE(std::regex_match(deposit["id"].get<std::string>(), std::regex("[0-9a-f-]{36}"))) << deposit;
  EXPECT_TRUE(std::regex_match(deposit["created_at"].get<std::string>(), kTimestamp)) << deposit;
  EXPECT_EQ(deposit.size(), 4u) << deposit;

  const Reply account = AsCustomer("/api/v1/accounts/me");
  ASSERT_EQ(account.status, 200);
  EXPECT_EQ(account.body["balance_minor"], 12990);
  EXPECT_EQ(account.body["version"], 2);  // created (1), credited (2)
  EXPECT_TRUE(std::regex_match(account.body["updated_at"].get<std::string>(), kTimestamp)) << account.text;
  EXPECT_TRUE(server_.OutboxEvents().empty());
}

TEST_F(PaymentRoutes, TheSameKeyAgainAnswersTheSameDepositWith200AndCreditsOnce) {
  const Reply first = server_.Deposit(customer_, 500, "key-1");
  ASSERT_EQ(first.status, 201) << first.text;
  ASSERT_EQ(server_.Deposit(customer_, 300, "key-2").status, 201);
  const Reply again = server_.Deposit(customer_, 500, "key-1");
  ASSERT_EQ(again.status, 200) << again.text;
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("Location"), "/api/v1/payment/accounts/me");
  EXPECT_EQ(server_.Balance(customer_), 800);

  // Keys belong to a customer: another customer's same key is another deposit.
  const std::string other = core::NewUuid();
  EXPECT_EQ(server_.Deposit(other, 500, "key-1").status, 201);
  EXPECT_EQ(server_.Balance(other), 500);
}

TEST_F(PaymentRoutes, TheSameKeyWithAnotherAmountIs422NamingTheKey) {
  ASSERT_EQ(server_.Deposit(customer_, 500, "key-1").status, 201);
  const Reply reused = server_.Deposit(customer_, 501, "key-1");
  EXPECT_EQ(reused.status, 422) << reused.text;
  EXPECT_EQ(reused.body["type"], "/problems/idempotency-key-reused");
  EXPECT_EQ(reused.ErrorFields(), std::vector<std::string>{"Idempotency-Key"});
  EXPECT_EQ(server_.Balance(customer_), 500);
}

TEST_F(PaymentRoutes, ConcurrentRequestsWithOneKeyCreditOnce) {
  constexpr int kRequests = 12;
  std::vector<int> statuses(kRequests);
  std::vector<json> bodies(kRequests);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([this, i, &statuses, &bodies] {
      const Reply reply = server_.Deposit(customer_, 700, "double-click");
      statuses[i] = reply.status;
      bodies[i] = reply.body;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), kRequests - 1);
  for (const auto& body : bodies) EXPECT_EQ(body, bodies[0]);
  EXPECT_EQ(server_.Balance(customer_), 700);
  EXPECT_EQ(Count("SELECT count(*) FROM ledger_entries"), 1);
}

TEST_F(PaymentRoutes, ConcurrentDepositsWithDifferentKeysAllCredit) {
  constexpr int kRequests = 10;
  std::vector<int> statuses(kRequests);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([this, i, &statuses] {
      statuses[i] = server_.Deposit(customer_, 100 + i, "key-" + std::to_string(i)).status;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), kRequests);
  EXPECT_EQ(server_.Balance(customer_), 100 * kRequests + 45);
  EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 1);
}

TEST_F(PaymentRoutes, DepositValidationNamesEveryBadFieldAndStoresNothing) {
  const std::string json_type = "Content-Type: application/json";
  const Reply no_key = PostDeposit(R"({"amount_minor": 100})", {json_type});
  EXPECT_EQ(no_key.status, 422);
  EXPECT_EQ(no_key.body["type"], "/problems/validation-failed");
  EXPECT_EQ(no_key.ErrorFields(), std::vector<std::string>{"Idempotency-Key"});

  const Reply long_key =
      PostDeposit(R"({"amount_minor": 100})", {json_type, "Idempotency-Key: " + std::string(201, 'k')});
  EXPECT_EQ(long_key.status, 422);
  EXPECT_EQ(long_key.ErrorFields(), std::vector<std::string>{"Idempotency-Key"});

  const Reply everything = PostDeposit(R"({"amount_minor": 0, "currency": "usd", "memo": "x"})", {json_type});
  EXPECT_EQ(everything.status, 422);
  EXPECT_EQ(everything.ErrorFields(),
            (std::vector<std::string>{"Idempotency-Key", "amount_minor", "currency", "memo"}));

  for (const char* body : {R"({"amount_minor": 10000000001})", R"({"amount_minor": 1.5})",
                           R"({"amount_minor": "100"})", R"({"amount_minor": -5})", R"({})"}) {
    const Reply reply = PostDeposit(body, {json_type, "Idempotency-Key: k"});
    EXPECT_EQ(reply.status, 422) << body;
    EXPECT_EQ(reply.ErrorFields(), std::vector<std::string>{"amount_minor"}) << body;
  }
  const Reply other_currency =
      PostDeposit(R"({"amount_minor": 100, "currency": "EUR"})", {json_type, "Idempotency-Key: k"});
  EXPECT_EQ(other_currency.status, 422);
  EXPECT_EQ(other_currency.ErrorFields(), std::vector<std::string>{"currency"});

  EXPECT_EQ(PostDeposit(R"({"amount_minor": 100)", {json_type, "Idempotency-Key: k"}).status, 400);
  EXPECT_EQ(
      PostDeposit(R"({"amount_minor": 100})", {"Content-Type: text/plain", "Idempotency-Key: k"}).status,
      415);
  EXPECT_EQ(Count("SELECT count(*) FROM ledger_entries"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 0);

  const Reply same_currency =
      PostDeposit(R"({"amount_minor": 100, "currency": "RUB"})", {json_type, "Idempotency-Key: k"});
  EXPECT_EQ(same_currency.status, 201) << same_currency.text;
}

TEST_F(PaymentRoutes, TransactionsAreListedNewestFirstWithCharges) {
  ASSERT_EQ(server_.Deposit(customer_, 1000, "a").status, 201);
  const std::string order = core::NewUuid();
  ASSERT_EQ(server_.Deliver(StockReserved(order, customer_, 400)).kind, Kind::kAck);
  ASSERT_EQ(server_.Deliver(OrderCancelled(order, customer_, 400)).kind, Kind::kAck);

  const Reply reply = AsCustomer("/api/v1/accounts/me/transactions");
  ASSERT_EQ(reply.status, 200) << reply.text;
  const json& items = reply.body["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_FALSE(reply.body.contains("next_cursor"));
  EXPECT_EQ(items[0]["kind"], "refund");
  EXPECT_EQ(items[0]["order_id"], order);
  EXPECT_EQ(items[0]["amount_minor"], 400);
  EXPECT_EQ(items[0]["balance_after_minor"], 1000);
  EXPECT_EQ(items[1]["kind"], "charge");
  EXPECT_EQ(items[1]["order_id"], order);
  EXPECT_EQ(items[1]["balance_after_minor"], 600);
  EXPECT_EQ(items[2]["kind"], "deposit");
  EXPECT_TRUE(items[2]["order_id"].is_null());
  EXPECT_EQ(items[2]["balance_after_minor"], 1000);
  for (const auto& item : items) {
    EXPECT_EQ(item["currency"], "RUB");
    EXPECT_TRUE(std::regex_match(item["created_at"].get<std::string>(), kTimestamp));
    EXPECT_EQ(item.size(), 7u) << item;
  }

  // Another customer sees only their own.
  const Reply other = server_.GetAs("/api/v1/accounts/me/transactions", core::NewUuid(), {Role::kCustomer});
  ASSERT_EQ(other.status, 200);
  EXPECT_TRUE(other.body["items"].empty());
}

TEST_F(PaymentRoutes, TransactionsPageWithACursorThatSurvivesInserts) {
  for (int i = 1; i <= 5; ++i) ASSERT_EQ(server_.Deposit(customer_, i, "k" + std::to_string(i)).status, 201);
  const Reply first = AsCustomer("/api/v1/accounts/me/transactions?limit=2");
  ASSERT_EQ(first.status, 200) << first.text;
  ASSERT_EQ(first.body["items"].size(), 2u);
  EXPECT_EQ(first.body["items"][0]["amount_minor"], 5);
  EXPECT_EQ(first.body["items"][1]["amount_minor"], 4);
  ASSERT_TRUE(first.body.contains("next_cursor"));

  ASSERT_EQ(server_.Deposit(customer_, 6, "k6").status, 201);  // newer: not on later pages
  const Reply second = AsCustomer("/api/v1/accounts/me/transactions?limit=2&cursor=" +
                                  first.body["next_cursor"].get<std::string>());
  ASSERT_EQ(second.status, 200) << second.text;
  EXPECT_EQ(second.body["items"][0]["amount_minor"], 3);
  EXPECT_EQ(second.body["items"][1]["amount_minor"], 2);
  const Reply third = AsCustomer("/api/v1/accounts/me/transactions?limit=2&cursor=" +
                                 second.body["next_cursor"].get<std::string>());
  ASSERT_EQ(third.status, 200);
  ASSERT_EQ(third.body["items"].size(), 1u);
  EXPECT_EQ(third.body["items"][0]["amount_minor"], 1);
  EXPECT_FALSE(third.body.contains("next_cursor"));
}

TEST_F(PaymentRoutes, BadQueryParametersAre422NamingThem) {
  const Reply limit = AsCustomer("/api/v1/accounts/me/transactions?limit=0");
  EXPECT_EQ(limit.status, 422);
  EXPECT_EQ(limit.ErrorFields(), std::vector<std::string>{"limit"});
  const Reply cursor = AsCustomer("/api/v1/accounts/me/transactions?cursor=nonsense");
  EXPECT_EQ(cursor.status, 422);
  EXPECT_EQ(cursor.ErrorFields(), std::vector<std::string>{"cursor"});
  const Reply unknown = AsCustomer("/api/v1/accounts/me/transactions?sort=asc&limit=5");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.ErrorFields(), std::vector<std::string>{"sort"});
  EXPECT_EQ(AsCustomer("/api/v1/accounts/me?verbose=1").status, 422);
  EXPECT_EQ(AsOperator("/api/v1/ledger?x=1").status, 422);
  EXPECT_EQ(AsOperator("/api/v1/payments/" + core::NewUuid() + "?x=1").status, 422);
  EXPECT_EQ(AsOperator("/api/v1/accounts/" + customer_ + "?x=1").status, 422);
  EXPECT_EQ(AsCustomer("/api/v1/accounts/me/transactions?limit=%zz").status, 400);
}

TEST_F(PaymentRoutes, PaymentsOfAnOrderForItsOwnerAndOperatorsOnly) {
  ASSERT_EQ(server_.Deposit(customer_, 1000, "a").status, 201);
  const std::string order = core::NewUuid();
  ASSERT_EQ(server_.Deliver(StockReserved(order, customer_, 400)).kind, Kind::kAck);

  const Reply mine = AsCustomer("/api/v1/payments/" + order);
  ASSERT_EQ(mine.status, 200) << mine.text;
  ASSERT_EQ(mine.body["items"].size(), 1u);
  const json& payment = mine.body["items"][0];
  EXPECT_EQ(payment["order_id"], order);
  EXPECT_EQ(payment["status"], "CAPTURED");
  EXPECT_EQ(payment["amount_minor"], 400);
  EXPECT_EQ(payment["currency"], "RUB");
  EXPECT_TRUE(payment["reason"].is_null());
  EXPECT_EQ(payment["version"], 1);
  EXPECT_EQ(payment["payment_id"], server_.Sql("SELECT payment_id FROM payments"));
  EXPECT_TRUE(std::regex_match(payment["created_at"].get<std::string>(), kTimestamp));
  EXPECT_TRUE(std::regex_match(payment["updated_at"].get<std::string>(), kTimestamp));

  const Reply upper = AsCustomer("/api/v1/payments/" + [&] {
    std::string id = order;
    for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return id;
  }());
  EXPECT_EQ(upper.status, 200);
  EXPECT_EQ(upper.body, mine.body);

  const Reply stranger = server_.GetAs("/api/v1/payments/" + order, core::NewUuid(), {Role::kCustomer});
  EXPECT_EQ(stranger.status, 403) << stranger.text;
  const Reply by_operator = AsOperator("/api/v1/payments/" + order);
  EXPECT_EQ(by_operator.status, 200);
  EXPECT_EQ(by_operator.body, mine.body);

  ASSERT_EQ(server_.Deliver(OrderCancelled(order, customer_, 400)).kind, Kind::kAck);
  const Reply refunded = AsCustomer("/api/v1/payments/" + order);
  EXPECT_EQ(refunded.body["items"][0]["status"], "REFUNDED");
  EXPECT_EQ(refunded.body["items"][0]["reason"], "order_cancelled");
  EXPECT_EQ(refunded.body["items"][0]["version"], 2);

  const Reply none = AsCustomer("/api/v1/payments/" + core::NewUuid());
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(none.body, (json{{"items", json::array()}}));
  EXPECT_EQ(AsCustomer("/api/v1/payments/42").status, 404) << "a malformed id names no order";
}

TEST_F(PaymentRoutes, OperatorsReadAnyAccountAndTheLedger) {
  ASSERT_EQ(server_.Deposit(customer_, 1000, "a").status, 201);
  ASSERT_EQ(server_.Deliver(StockReserved(core::NewUuid(), customer_, 300)).kind, Kind::kAck);

  const Reply account = AsOperator("/api/v1/accounts/" + customer_);
  ASSERT_EQ(account.status, 200) << account.text;
  EXPECT_EQ(account.body["customer_id"], customer_);
  EXPECT_EQ(account.body["balance_minor"], 700);
  EXPECT_EQ(AsOperator("/api/v1/accounts/" + core::NewUuid()).status, 404);
  EXPECT_EQ(AsOperator("/api/v1/accounts/nobody").status, 404) << "a malformed id names nothing";

  const Reply ledger = AsOperator("/api/v1/ledger");
  ASSERT_EQ(ledger.status, 200) << ledger.text;
  EXPECT_EQ(ledger.body, (json{{"deposits_minor", 1000},
                               {"balances_minor", 700},
                               {"captured_minor", 300},
                               {"refunded_minor", 0},
                               {"accounts", 1}}));
}

TEST_F(PaymentRoutes, EveryRouteChecksItsRoles) {
  const std::string order = core::NewUuid();
  struct Case {
    std::string method;
    std::string target;
    std::set<Role> allowed;
  };
  const std::vector<Case> cases = {
      {"GET", "/api/v1/accounts/me", {Role::kCustomer}},
      {"POST", "/api/v1/accounts/me/deposits", {Role::kCustomer}},
      {"GET", "/api/v1/accounts/me/transactions", {Role::kCustomer}},
      {"GET", "/api/v1/accounts/" + customer_, {Role::kOperator}},
      {"GET", "/api/v1/payments/" + order, {Role::kCustomer, Role::kOperator}},
      {"GET", "/api/v1/ledger", {Role::kOperator}},
  };
  for (const auto& c : cases) {
    const Reply anonymous = server_.Send(c.method, c.target);
    EXPECT_EQ(anonymous.status, 401) << c.method << " " << c.target;
    EXPECT_NE(anonymous.Header("WWW-Authenticate").find("Bearer"), std::string::npos);
    for (const Role role : auth::kAllRoles) {
      const Reply reply = server_.Send(c.method, c.target, "{}",
                                       {server_.Bearer(customer_, {role}), "Content-Type: application/json"});
      if (c.allowed.contains(role)) {
        EXPECT_NE(reply.status, 401) << c.method << " " << c.target << " " << auth::ToString(role);
        EXPECT_NE(reply.status, 403) << c.method << " " << c.target << " " << auth::ToString(role)
                                     << reply.text;
        EXPECT_LT(reply.status, 500) << reply.text;
      } else {
        EXPECT_EQ(reply.status, 403) << c.method << " " << c.target << " " << auth::ToString(role);
      }
    }
  }
  EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 0);  // the deposit without key stored nothing
}

TEST_F(PaymentRoutes, ATokenWhoseSubjectIsNotACustomerIdIsRefused) {
  const Reply reply = server_.GetAs("/api/v1/accounts/me", "user-1", {Role::kCustomer});
  EXPECT_EQ(reply.status, 403) << reply.text;
}

}  // namespace
}  // namespace microstore::payment::testing
