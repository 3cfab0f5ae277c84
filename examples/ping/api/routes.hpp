#pragma once

#include "platform/http/router.hpp"

namespace microstore::pg {
class Pool;
}

// The ping service's HTTP API:
//
//   GET  /ping              public          200 {"pong":true}; ?delay_ms=N (0..5000) answers after
//                                           N ms; 400 invalid-delay
//   POST /visits/{name}     public          200 {name, visits}: one more visit; 422 invalid-name
//   GET  /visits/{name}     public          200 {name, visits}; 404 when never visited; 422
//   GET  /me                any valid token 200 {subject, roles}: who the token says you are
namespace microstore::ping::api {

// `db` must hold the ping schema (Migrations()) and outlive the router.
void RegisterRoutes(http::Router& router, pg::Pool& db);

}  // namespace microstore::ping::api
