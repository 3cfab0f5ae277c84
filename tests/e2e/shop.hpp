#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "system.hpp"

// The store as its staff and customers use it in the saga tests: products with stock, customers
// with money, orders, and the checks of R16 made from the services' own APIs.
namespace microstore::e2e {

struct Line {
  std::string product_id;
  std::int64_t quantity = 1;
};

class Shop {
 public:
  explicit Shop(System& system);

  System& system() const { return system_; }
  const std::string& admin() const { return admin_; }
  const std::string& operator_token() const { return operator_; }

  // A product at `price_minor` RUB, once stock knows it; then `stock` units restocked.
  std::string CreateProduct(std::int64_t price_minor, std::int64_t stock, const std::string& name = "Saga lamp");
  void Restock(const std::string& product_id, std::int64_t quantity);
  // {product_id, free, reserved, shipped, in_stock, version} from stock's public route.
  nlohmann::json StockOf(const std::string& product_id) const;

  // A registered, signed-in customer (its account comes from UserRegistered); answers the access
  // token. With `deposit_minor` > 0, tops the account up by that much.
  std::string NewCustomer(std::int64_t deposit_minor);
  void Deposit(const std::string& token, std::int64_t amount_minor);
  std::int64_t Balance(const std::string& token) const;
  // The payments of an order (payment's GET /payments/{order_id}), as the customer sees them.
  nlohmann::json PaymentsOf(const std::string& token, const std::string& order_id) const;

  Reply PlaceOrder(const std::string& token, const std::vector<Line>& lines, const std::string& idempotency_key);
  Reply GetOrder(const std::string& token, const std::string& order_id) const;
  Reply Cancel(const std::string& token, const std::string& order_id);
  // Polls the order until its status is one of `statuses` (and `also` holds); fails the test and
  // answers the last state otherwise.
  nlohmann::json WaitForOrder(const std::string& token, const std::string& order_id,
                              const std::set<std::string>& statuses,
                              const std::function<bool(const nlohmann::json&)>& also = nullptr) const;

  // R16, from the services' own APIs, once no order is in progress any more (waits for that):
  // payment: deposits = balances + captured − refunded; stock: received = free + reserved +
  // shipped and nothing negative; and across services: money captured and not refunded equals
  // the totals of PAID orders, and reserved units equal the PAID orders' quantities.
  void ExpectInvariants() const;

 private:
  System& system_;
  std::string admin_;
  std::string operator_;
  std::string stock_operator_;
};

}  // namespace microstore::e2e
