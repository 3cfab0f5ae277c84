#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "order/domain/order.hpp"

// Listing and counting orders: what a listing asks for and what it answers.
namespace microstore::order {

// Where a page of a listing ended (newest first: created_at descending, then id descending).
struct OrderCursor {
  std::int64_t created_at_us = 0;  // microseconds since the Unix epoch
  std::string id;                  // lower-case UUID

  bool operator==(const OrderCursor&) const = default;
};

struct OrderListQuery {
  std::optional<std::string> customer_id;
  std::vector<OrderStatus> statuses;  // empty: any
  std::size_t limit = 20;  // the API's default page size (http::kDefaultPageLimit)
  std::optional<OrderCursor> after;

  bool operator==(const OrderListQuery&) const = default;
};

// An order of a listing with its position in it (the cursor of the page ending there).
struct ListedOrder {
  Order order;
  OrderCursor position;
};

struct OrderStats {
  std::map<OrderStatus, std::int64_t> by_status;  // every status, 0 when none
  std::int64_t total = 0;
  std::optional<std::string> oldest_in_progress_at;  // created_at of the oldest PENDING or RESERVED order
};

}  // namespace microstore::order
