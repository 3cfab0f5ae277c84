// The values the domain tests of stock share: one order of one customer, three products, and the
// stock items and OrderCreated events built from them.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "stock/domain/reservation_decision.hpp"

namespace microstore::stock::fixtures {

inline const std::string kOrder = "0b7d2f3e-52c4-4a8e-9d3f-2c1e5b7a9f10";
inline const std::string kCustomer = "c0000000-0000-4000-8000-000000000001";
inline const std::string kChair = "a0000000-0000-4000-8000-000000000001";
inline const std::string kTable = "a0000000-0000-4000-8000-000000000002";
inline const std::string kLamp = "a0000000-0000-4000-8000-000000000003";

inline StockItem Item(const std::string& product, std::int64_t free, std::int64_t reserved = 0,
                      std::int64_t version = 5) {
  return {.product_id = product, .free = free, .reserved = reserved, .shipped = 0, .version = version};
}

inline OrderCreated Order(std::vector<Line> lines) {
  return {.order_id = kOrder,
          .customer_id = kCustomer,
          .order_version = 1,
          .lines = std::move(lines),
          .total_minor = 129900,
          .currency = "RUB"};
}

}  // namespace microstore::stock::fixtures
