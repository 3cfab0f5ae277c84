#pragma once

#include <string>
#include <vector>

#include "platform/messaging/inbox.hpp"

// What the order service does with the events it consumes. Each handler runs inside the inbox's
// transaction (messaging::EventHandler) and reads and writes only through it.
//
//   catalog ProductCreated, ProductUpdated, ProductPriceChanged, ProductArchived
//       → the product copy (product_copies.hpp), applied only from a newer catalogue version
//   stock StockReserved, StockReservationFailed, StockReleased;
//   payment PaymentSucceeded, PaymentFailed, PaymentRefunded
//       → the order (payload order_id), locked FOR UPDATE, through the saga's state machine
//         (domain/saga.hpp) with the source aggregate's version; a transition is saved with a
//         version predicate and appends OrderStatusChanged (+ OrderCancelled) caused by the
//         event. A stale event is logged and changes nothing.
// A payload that is unusable (a missing or mistyped field, an id that is not a UUID) and a saga
// event for an order that does not exist throw messaging::PoisonEvent: dead-lettered at once.
namespace microstore::order {

// Every event the order service consumes, with its handler (for runtime::Service::Consume).
// `node_id` names this process in the events the handlers emit.
std::vector<messaging::EventSubscription> EventSubscriptions(std::string node_id);

}  // namespace microstore::order
