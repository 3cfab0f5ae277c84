#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "order/domain/order.hpp"
#include "order/domain/saga.hpp"
#include "platform/messaging/envelope.hpp"

// The events the order service publishes (producer "order", exchange microstore.order,
// schema_version 1), as drafts: type + aggregate + payload; messaging::AppendDrafts gives them
// ids, the clock and the context. Aggregate: {type "order", id order id, version after the
// change, status after it}.
//
//   OrderCreated        {order_id, customer_id, items: [{product_id, sku, name, quantity,
//                        unit_price_minor, line_total_minor}], total_minor, currency, created_at}
//   OrderStatusChanged  {order_id, customer_id, status, previous_status (null on creation),
//                        reason (null unless CANCELLED), version, changed_at}
//   OrderCancelled      {order_id, customer_id, reason, previous_status, version,
//                        items: [{product_id, quantity}], total_minor, currency, cancelled_at}
// Times are the order's created_at / updated_at after the change.
namespace microstore::order {

inline constexpr const char* kProducer = "order";

using messaging::EventDraft;

messaging::AggregateRef AggregateOf(const Order& order);

// OrderCreated and OrderStatusChanged (previous_status null) of a new order.
std::vector<EventDraft> CreationEvents(const Order& created);

// The events `transition` names, about `after` (the order once the transition is saved).
std::vector<EventDraft> TransitionEvents(const Order& after, const decision::Transition& transition);

}  // namespace microstore::order
