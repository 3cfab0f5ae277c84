#pragma once

#include "platform/http/router.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
}

// The catalogue's HTTP API (service paths; public paths are /api/v1/catalog/<rest>):
//
//   GET   /api/v1/products               public  200 {items, next_cursor?}; 422 validation-failed,
//                                                 invalid-cursor
//   GET   /api/v1/products/{id}          public  200 product (archived too) + ETag; 404
//   POST  /api/v1/products               ADMIN   201 product + Location + ETag; 409 sku-taken; 422
//   PATCH /api/v1/products/{id}          ADMIN   200 product + ETag; 400 invalid-if-match; 404;
//                                                 409 product-archived, sku-taken;
//                                                 412 version-mismatch; 422
//   POST  /api/v1/products/{id}/archive  ADMIN   200 product + ETag; 404
//
// Bodies (api/json.hpp): 415 without a JSON content type, 400 for malformed JSON. Changes append
// their events (domain/events.hpp) to the outbox in the same transaction (app/products.hpp).
namespace microstore::catalog::api {

// `db` must hold the catalogue's schema (Migrations()) and the messaging tables; it and `outbox`
// (producer "catalog") must outlive the router.
void RegisterRoutes(http::Router& router, pg::Pool& db, const messaging::Outbox& outbox);

}  // namespace microstore::catalog::api
