#pragma once

#include "platform/http/router.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
}

// The stock service's HTTP API (service paths; public paths are /api/v1/stock/<rest>):
//
//   GET  /api/v1/items?product_id=<id>,<id>…        public          200 {items}; 422
//   GET  /api/v1/items/{product_id}                 public          200 item; 404; 422
//   POST /api/v1/items/{product_id}/restock         STOCK_OPERATOR  200 item; 404; 422
//   POST /api/v1/items/{product_id}/adjustments     STOCK_OPERATOR  200 item; 404;
//                                                                   409 insufficient-stock; 422
//   GET  /api/v1/items/{product_id}/movements       STOCK_OPERATOR, 200 {items, next_cursor?}; 404;
//                                                   OPERATOR        422
//   GET  /api/v1/reservations/{order_id}            STOCK_OPERATOR, 200 reservation; 404; 422
//                                                   OPERATOR
//   GET  /api/v1/totals                             STOCK_OPERATOR, 200 {received, free, reserved,
//                                                   OPERATOR        shipped, products}; 422
//
// 422 validation-failed names every bad field or query parameter (unknown ones included).
// Bodies: 415 without a JSON content type, 400 for malformed JSON. A restock or adjustment
// appends StockLevelChanged (cause restock | adjustment) to the outbox in its transaction, with
// the request's correlation id, and an audit entry naming the caller (JWT sub).
namespace microstore::stock::api {

// `db` must hold the stock schema (Migrations()) and the messaging tables; `outbox` takes the
// events the routes emit. Both must outlive the router.
void RegisterRoutes(http::Router& router, pg::Pool& db, const messaging::Outbox& outbox);

}  // namespace microstore::stock::api
