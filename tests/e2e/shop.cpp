#include "shop.hpp"

#include <gtest/gtest.h>

#include <map>

#include "platform/core/ids.hpp"

namespace microstore::e2e {

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string Signed(const System& system, const std::string& role) {
  return system.SignToken(core::NewUuid(), {role}, std::chrono::system_clock::now() + 2h);
}

std::int64_t IntAt(const json& body, const char* field) {
  return body.is_object() && body.contains(field) && body[field].is_number_integer() ? body[field].get<std::int64_t>() : -1;
}

}  // namespace

Shop::Shop(System& system)
    : system_(system),
      admin_(system.SignInAdmin().access),
      operator_(Signed(system, "OPERATOR")),
      stock_operator_(Signed(system, "STOCK_OPERATOR")) {}

std::string Shop::CreateProduct(std::int64_t price_minor, std::int64_t stock, const std::string& name) {
  const Reply created = system_.Post("/api/v1/catalog/products",
                                     {{"sku", "SAGA-" + Unique()}, {"name", name}, {"price_minor", price_minor},
                                      {"currency", "RUB"}},
                                     admin_);
  EXPECT_EQ(created.status, 201) << created.Describe();
  const std::string id = created.body.value("id", "");
  // Stock and order learn of the product from ProductCreated.
  EXPECT_TRUE(testing::Eventually([&] { return system_.Get("/api/v1/stock/items/" + id).status == 200; }))
      << "stock never heard of product " << id;
  if (stock > 0) Restock(id, stock);
  return id;
}

void Shop::Restock(const std::string& product_id, std::int64_t quantity) {
  const Reply restocked = system_.Post("/api/v1/stock/items/" + product_id + "/restock",
                                       {{"quantity", quantity}, {"reason", "delivery from the supplier"}},
                                       stock_operator_);
  EXPECT_EQ(restocked.status, 200) << restocked.Describe();
}

json Shop::StockOf(const std::string& product_id) const {
  const Reply item = system_.Get("/api/v1/stock/items/" + product_id);
  EXPECT_EQ(item.status, 200) << item.Describe();
  return item.body;
}

std::string Shop::NewCustomer(std::int64_t deposit_minor) {
  const auto customer = system_.RegisterCustomer("buyer");
  const std::string token = system_.SignIn(customer.email, customer.password).access;
  if (deposit_minor > 0) Deposit(token, deposit_minor);
  return token;
}

void Shop::Deposit(const std::string& token, std::int64_t amount_minor) {
  const Reply deposit = system_.Send({.method = "POST",
                                      .path = "/api/v1/payment/accounts/me/deposits",
                                      .body = json{{"amount_minor", amount_minor}},
                                      .token = token,
                                      .headers = {{"Idempotency-Key", "deposit-" + Unique()}}});
  EXPECT_EQ(deposit.status, 201) << deposit.Describe();
}

std::int64_t Shop::Balance(const std::string& token) const {
  const Reply account = system_.Get("/api/v1/payment/accounts/me", token);
  EXPECT_EQ(account.status, 200) << account.Describe();
  return IntAt(account.body, "balance_minor");
}

json Shop::PaymentsOf(const std::string& token, const std::string& order_id) const {
  const Reply payments = system_.Get("/api/v1/payment/payments/" + order_id, token);
  EXPECT_EQ(payments.status, 200) << payments.Describe();
  return payments.body.value("items", json::array());
}

Reply Shop::PlaceOrder(const std::string& token, const std::vector<Line>& lines, const std::string& idempotency_key) {
  json items = json::array();
  for (const auto& line : lines) items.push_back({{"product_id", line.product_id}, {"quantity", line.quantity}});
  return system_.Send({.method = "POST",
                       .path = "/api/v1/order/orders",
                       .body = json{{"items", items}},
                       .token = token,
                       .headers = {{"Idempotency-Key", idempotency_key}}});
}

Reply Shop::GetOrder(const std::string& token, const std::string& order_id) const {
  return system_.Get("/api/v1/order/orders/" + order_id, token);
}

Reply Shop::Cancel(const std::string& token, const std::string& order_id) {
  return system_.Send({.method = "POST", .path = "/api/v1/order/orders/" + order_id + "/cancel", .token = token});
}

json Shop::WaitForOrder(const std::string& token, const std::string& order_id, const std::set<std::string>& statuses,
                        const std::function<bool(const json&)>& also) const {
  json last;
  const bool reached = testing::Eventually(
      [&] {
        const Reply order = GetOrder(token, order_id);
        if (order.status != 200) return false;
        last = order.body;
        return statuses.count(last.value("status", "")) > 0 && (!also || also(last));
      },
      30s);
  EXPECT_TRUE(reached) << "order " << order_id << " stayed " << last.dump();
  return last;
}

void Shop::ExpectInvariants() const {
  // Every order ends: wait until none is PENDING or RESERVED any more.
  std::vector<json> orders;
  const bool settled = testing::Eventually(
      [&] {
        orders.clear();
        std::string cursor;
        do {
          const Reply page = system_.Get(
              "/api/v1/order/orders?limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor), operator_);
          if (page.status != 200) return false;
          for (const auto& order : page.body["items"]) orders.push_back(order);
          cursor = page.body.value("next_cursor", "");
        } while (!cursor.empty());
        for (const auto& order : orders) {
          const std::string status = order.value("status", "");
          if (status != "PAID" && status != "CANCELLED") return false;
        }
        return true;
      },
      60s);
  ASSERT_TRUE(settled) << "orders still in progress";

  std::int64_t paid_totals = 0;
  std::map<std::string, std::int64_t> paid_units;
  for (const auto& order : orders) {
    if (order["status"] != "PAID") continue;
    paid_totals += order["total_minor"].get<std::int64_t>();
    for (const auto& item : order["items"]) paid_units[item["product_id"]] += item["quantity"].get<std::int64_t>();
  }

  // Money: refunds and releases travel as events after CANCELLED, so wait for them to land.
  json ledger;
  const bool money_settled = testing::Eventually(
      [&] {
        const Reply reply = system_.Get("/api/v1/payment/ledger", operator_);
        if (reply.status != 200) return false;
        ledger = reply.body;
        return IntAt(ledger, "captured_minor") - IntAt(ledger, "refunded_minor") == paid_totals;
      },
      30s);
  EXPECT_TRUE(money_settled) << "captured − refunded ≠ totals of PAID orders (" << paid_totals << "): " << ledger.dump();
  EXPECT_EQ(IntAt(ledger, "deposits_minor"),
            IntAt(ledger, "balances_minor") + IntAt(ledger, "captured_minor") - IntAt(ledger, "refunded_minor"))
      << ledger.dump();

  // Stock: nothing created or lost, nothing negative, and what is reserved is what PAID orders hold.
  json totals;
  const bool stock_settled = testing::Eventually(
      [&] {
        const Reply reply = system_.Get("/api/v1/stock/totals", operator_);
        if (reply.status != 200) return false;
        totals = reply.body;
        std::int64_t held = 0;
        for (const auto& [product, units] : paid_units) held += units;
        return IntAt(totals, "reserved") == held;
      },
      30s);
  EXPECT_TRUE(stock_settled) << "reserved units ≠ units of PAID orders: " << totals.dump();
  EXPECT_EQ(IntAt(totals, "received"), IntAt(totals, "free") + IntAt(totals, "reserved") + IntAt(totals, "shipped"))
      << totals.dump();
  EXPECT_GE(IntAt(totals, "free"), 0) << totals.dump();
  for (const auto& [product, units] : paid_units) {
    const json item = StockOf(product);
    EXPECT_GE(IntAt(item, "free"), 0) << item.dump();
    EXPECT_EQ(IntAt(item, "reserved"), units) << item.dump();
  }
}

}  // namespace microstore::e2e
