#pragma once

#include <string>

#include "order/domain/order.hpp"

namespace microstore::order {

// Who asks: a customer sees and cancels only their own orders; an operator every order.
struct Caller {
  std::string subject;  // the token's subject (a customer's user id)
  bool is_operator = false;
};

inline bool MayAccess(const Caller& caller, const Order& order) {
  return caller.is_operator || caller.subject == order.customer_id;
}

}  // namespace microstore::order
