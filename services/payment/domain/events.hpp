#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "payment/domain/payment.hpp"

// Reading the payloads of the events payment consumes (schema_version 1). A payload that cannot
// be read is a poison event: the returned message says which field is wrong (never its value).
// Ids come back canonical (lower-case UUIDs).
namespace microstore::payment {

// Largest order total accepted from StockReserved / OrderCancelled (far above any real order,
// low enough that balances cannot overflow).
inline constexpr std::int64_t kMaxOrderTotalMinor = kMaxBalanceMinor;

struct PayloadError {
  std::string message{};
  bool operator==(const PayloadError&) const = default;
};

// identity UserRegistered {user_id, roles: [string], …}: a customer gets an account.
struct Registration {
  std::string user_id{};
  bool customer = false;  // roles include CUSTOMER (others are staff and get no account)
  bool operator==(const Registration&) const = default;
};
std::variant<Registration, PayloadError> ParseUserRegistered(const nlohmann::json& payload);

// stock StockReserved {order_id, customer_id, order_version (int ≥ 1), items, total_minor (int ≥ 0),
// currency}.
std::variant<ChargeRequest, PayloadError> ParseStockReserved(const nlohmann::json& payload);

// order OrderCancelled {order_id, customer_id, reason, previous_status, version, items,
// total_minor (int ≥ 0), currency, cancelled_at}.
std::variant<Cancellation, PayloadError> ParseOrderCancelled(const nlohmann::json& payload);

}  // namespace microstore::payment
