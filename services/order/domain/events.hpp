#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "order/domain/order.hpp"

// The events the order service publishes (exchange microstore.order, schema_version 1), each
// with what its payload and its aggregate ref need; infra/events.cpp writes them as outbox rows
// (contracts/asyncapi.yaml). The aggregate of each is {type "order", id order id, version after
// the change, status after it}; times are the order's created_at / updated_at after the change.
namespace microstore::order {

// {order_id, customer_id, items: [{product_id, sku, name, quantity, unit_price_minor,
//  line_total_minor}], total_minor, currency, created_at}: the order as created (PENDING, v1).
struct OrderCreated {
  Order order;

  bool operator==(const OrderCreated&) const = default;
};

// {order_id, customer_id, status, previous_status (null on creation), reason (null unless
//  CANCELLED), version, changed_at}
struct OrderStatusChanged {
  std::string order_id;
  std::string customer_id;
  OrderStatus status = OrderStatus::kPending;
  std::optional<OrderStatus> previous_status;
  std::optional<CancelReason> reason;
  std::int64_t version = 1;
  std::string changed_at;

  bool operator==(const OrderStatusChanged&) const = default;
};

// One line of a cancelled order, as stock and payment need it to undo their steps.
struct CancelledLine {
  std::string product_id;
  std::int64_t quantity = 0;

  bool operator==(const CancelledLine&) const = default;
};

// {order_id, customer_id, reason, previous_status, version, items: [{product_id, quantity}],
//  total_minor, currency, cancelled_at}; the aggregate's status is CANCELLED.
struct OrderCancelled {
  std::string order_id;
  std::string customer_id;
  std::optional<CancelReason> reason;
  OrderStatus previous_status = OrderStatus::kPending;
  std::int64_t version = 1;
  std::vector<CancelledLine> items;
  std::int64_t total_minor = 0;
  std::string currency;
  std::string cancelled_at;

  bool operator==(const OrderCancelled&) const = default;
};

using Event = std::variant<OrderCreated, OrderStatusChanged, OrderCancelled>;

// The status change of `after` (the order once changed) from `previous` (none on creation).
OrderStatusChanged StatusChangeOf(const Order& after, std::optional<OrderStatus> previous);
// The cancellation of `after` (the order once CANCELLED), which was `previous` before.
OrderCancelled CancellationOf(const Order& after, OrderStatus previous);

// OrderCreated and OrderStatusChanged (previous_status null) of a new order, as stored.
std::vector<Event> CreationEvents(const Order& created);

}  // namespace microstore::order
