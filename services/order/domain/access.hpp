#pragma once

#include <optional>
#include <string>

#include "order/domain/listing.hpp"
#include "order/domain/order.hpp"
#include "order/domain/saga.hpp"

namespace microstore::order {

// Who asks: a customer sees and cancels only their own orders; an operator every order.
struct Caller {
  std::string subject;  // the token's subject (a customer's user id)
  bool is_operator = false;
};

inline bool MayAccess(const Caller& caller, const Order& order) {
  return caller.is_operator || caller.subject == order.customer_id;
}

// A cancel by the order's customer, or by an operator on a customer's behalf (recorded as
// operator_cancelled, so the history says who decided).
inline saga::CustomerCancel CancelBy(const Caller& caller, const Order& order) {
  return {.by_operator = caller.subject != order.customer_id};
}

// What `caller` may list of `query`: an operator anything; a customer only their own orders
// (the query is narrowed to them), nullopt when the customer names another customer.
inline std::optional<OrderListQuery> VisibleTo(const Caller& caller, OrderListQuery query) {
  if (caller.is_operator) return query;
  if (query.customer_id && *query.customer_id != caller.subject) return std::nullopt;
  query.customer_id = caller.subject;
  return query;
}

}  // namespace microstore::order
