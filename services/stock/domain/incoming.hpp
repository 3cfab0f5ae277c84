#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "stock/domain/reservation.hpp"

// Reading the payloads of the events stock consumes (saga contract). Only the fields stock uses
// are read and checked; others are ignored, so producers may add fields. A payload that fails is
// unusable for good: the handler dead-letters it (messaging::PoisonEvent) with the message.
namespace microstore::stock {

struct PayloadError {
  std::string message;  // names the field; never echoes its value

  bool operator==(const PayloadError&) const = default;
};

// Largest quantity of one order line stock accepts; keeps every sum far from overflow.
inline constexpr std::int64_t kMaxLineQuantity = 1'000'000'000;

// catalog ProductCreated: the product's id (`product_id`, a UUID).
std::variant<std::string, PayloadError> ParseProductCreated(const nlohmann::json& payload);

// order OrderCreated {order_id (UUID), customer_id (non-empty string), items: [{product_id (UUID),
// quantity (1..kMaxLineQuantity)}, …] (non-empty), total_minor (int ≥ 0), currency (3 upper-case
// letters)}; `order_version` is the envelope's aggregate version. Lines of one product are summed
// into one, in the order of first appearance.
std::variant<OrderCreated, PayloadError> ParseOrderCreated(const nlohmann::json& payload,
                                                           std::int64_t order_version);

// order OrderCancelled and payment PaymentFailed: {order_id (UUID), customer_id (non-empty string)}.
std::variant<OrderCancelled, PayloadError> ParseOrderCancelled(const nlohmann::json& payload);
std::variant<PaymentFailed, PayloadError> ParsePaymentFailed(const nlohmann::json& payload);

}  // namespace microstore::stock
