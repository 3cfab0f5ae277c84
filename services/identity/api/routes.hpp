#pragma once

#include "platform/http/router.hpp"

namespace microstore::auth {
class Verifier;
}
namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
}
namespace microstore::identity {
class Authority;
}

// Identity's HTTP API (service paths; the gateway's public path is /api/v1/identity/<rest>).
//
//   POST   /api/v1/register                    public         201 user + Location; 409, 422
//   GET    /api/v1/token                       public (Basic)  200 token pair; 401, 403
//   POST   /api/v1/token                       public         200 token pair; 401, 403, 422
//   POST   /api/v1/token/refresh               public         200 token pair; 401, 403, 422
//   GET    /api/v1/token/check                 authenticated  200 {active, subject, roles, expires_at}
//   POST   /api/v1/logout                      authenticated  204
//   GET    /api/v1/users/me                    authenticated  200 user
//   PATCH  /api/v1/users/me                    authenticated  200 user; 422
//   GET    /api/v1/users                       ADMIN          200 {items, next_cursor?}; 422
//   GET    /api/v1/users/{id}                  authenticated  200 user; 403 (not yours), 404
//   PUT    /api/v1/users/{id}/roles/{role}     ADMIN          200 user; 404, 422
//   DELETE /api/v1/users/{id}/roles/{role}     ADMIN          200 user; 404, 409, 422
//   POST   /api/v1/users/{id}/disable          ADMIN          200 user; 404, 409
//   POST   /api/v1/users/{id}/enable           ADMIN          200 user; 404
//   GET    /api/v1/jwks                        public         200 JWKS of every trusted key
//
// Every authenticated route also refuses (401) a revoked token or a disabled user, and checks
// the route's roles against the user's current roles (403).
namespace microstore::identity::api {

// `db`, `outbox`, `authority` and `verifier` (may be null: an empty JWKS) must outlive the router.
void RegisterRoutes(http::Router& router, pg::Pool& db, const messaging::Outbox& outbox,
                    const Authority& authority, const auth::Verifier* verifier);

}  // namespace microstore::identity::api
