#pragma once

#include "platform/http/router.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
}
namespace microstore::order {
class Intake;
}

// The order service's HTTP API (service paths; public paths are /api/v1/order/<rest>):
//
//   POST /api/v1/orders              CUSTOMER           202 order + Location; 409 unpaid-order-exists
//                                                       (existing_order_id, existing_order_url);
//                                                       422 validation-failed (Idempotency-Key,
//                                                       items…), idempotency-key-reused; 503
//                                                       overloaded + Retry-After (app/intake.hpp)
//   GET  /api/v1/orders              CUSTOMER, OPERATOR 200 {items, next_cursor?}; 403 (a customer
//                                                       naming another customer_id); 422
//   GET  /api/v1/orders/stats        OPERATOR           200 {by_status, total, oldest_in_progress_at}
//   GET  /api/v1/orders/{id}         CUSTOMER, OPERATOR 200 order; 403 another customer's; 404
//   POST /api/v1/orders/{id}/cancel  CUSTOMER, OPERATOR 200 order (CANCELLED); 403; 404
//
// A customer sees and cancels only their own orders; an operator (role OPERATOR) every order.
// Bodies: 415 without a JSON content type, 400 for malformed JSON. Changes append their events
// (domain/events.hpp) to the outbox in the same transaction. Each route reads the request
// (api/json.hpp), calls one use case (app/orders.hpp) and maps its outcome to the answer.
namespace microstore::order::api {

// `db` must hold the order schema (Migrations()) and the messaging tables; the routes emit through
// `outbox` and admit new orders through `intake`. All must outlive the router.
void RegisterRoutes(http::Router& router, pg::Pool& db, const messaging::Outbox& outbox, Intake& intake);

}  // namespace microstore::order::api
