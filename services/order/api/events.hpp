#pragma once

#include <vector>

#include "platform/messaging/inbox.hpp"
#include "platform/messaging/outbox.hpp"

// What the order service does when the events it consumes arrive: one handler per type
// (api/events.cpp), each run inside the inbox's transaction (messaging::EventHandler).
//
//   catalog ProductCreated, ProductUpdated, ProductPriceChanged, ProductArchived
//       → the copy of the catalogue that prices new orders (app/product_copies.hpp), applied
//         only from a newer catalogue version
//   stock StockReserved, StockReservationFailed, StockReleased;
//   payment PaymentSucceeded, PaymentFailed, PaymentRefunded
//       → the order they name, through the saga's state machine (app/orders.hpp ApplySagaEvent,
//         domain/saga.hpp); a change appends OrderStatusChanged (+ OrderCancelled) caused by the
//         event; a stale event is logged and changes nothing
// A payload that is unusable (api/json.hpp) and a saga event for an order that does not exist
// throw messaging::PoisonEvent: dead-lettered at once.
namespace microstore::order::api {

// Every event the order service consumes, once each, with its handler (for
// runtime::Service::Consume). The handlers emit through `outbox`, which must outlive them.
std::vector<messaging::EventSubscription> EventHandlers(const messaging::Outbox& outbox);

}  // namespace microstore::order::api
