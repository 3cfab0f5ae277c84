#pragma once

#include "payment/app/settings.hpp"
#include "platform/http/router.hpp"

namespace microstore::pg {
class Pool;
}

// The payment service's HTTP API (service paths; public paths are /api/v1/payment/<rest>):
//
//   GET  /api/v1/accounts/me                CUSTOMER  200 account (an account at 0 when none yet)
//   POST /api/v1/accounts/me/deposits       CUSTOMER  201 {deposit, balance_minor} + Location;
//                                                     200 the same for a repeated Idempotency-Key;
//                                                     422 validation-failed (Idempotency-Key,
//                                                     amount_minor, currency, unknown fields),
//                                                     idempotency-key-reused, balance-limit
//   GET  /api/v1/accounts/me/transactions   CUSTOMER  200 {items, next_cursor?} newest first; 422
//   GET  /api/v1/accounts/{customer_id}     OPERATOR  200 account; 404 (unknown or malformed id)
//   GET  /api/v1/payments/{order_id}        CUSTOMER (own orders), OPERATOR
//                                                     200 {items}; 403 another customer's order;
//                                                     404 a malformed order_id
//   GET  /api/v1/ledger                     OPERATOR  200 {deposits_minor, balances_minor,
//                                                     captured_minor, refunded_minor, accounts}
//
// Every route refuses query parameters it does not know (422). Bodies: 415 without a JSON content
// type, 400 for malformed JSON. A token whose subject is not a UUID is 403 on the customer routes.
// No route emits an event, so none takes the outbox.
namespace microstore::payment::api {

// `db` must hold the payment schema (Migrations()) and outlive the router; `settings.currency` is
// the currency of accounts created here.
void RegisterRoutes(http::Router& router, pg::Pool& db, Settings settings);

}  // namespace microstore::payment::api
