#pragma once

#include "platform/http/router.hpp"

namespace microstore::pg {
class Pool;
}

namespace microstore::ping {

// GET /ping                 public; {"pong":true}; `?delay_ms=N` (≤ 5000) answers after N ms
// POST /visits/{name}       public; counts a visit in the database and returns the total
// GET /visits/{name}        public; the total, 404 when never visited
// GET /me                   any valid token; who the token says you are
void RegisterRoutes(http::Router& router, pg::Pool& db);

}  // namespace microstore::ping
