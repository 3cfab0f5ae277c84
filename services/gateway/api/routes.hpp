#pragma once

#include "platform/http/router.hpp"

namespace microstore::auth {
class Verifier;
}

namespace microstore::gateway {
class CorsPolicy;
class RevocationCache;
}  // namespace microstore::gateway

namespace microstore::gateway::api {

class RateLimiting;
class StaticSite;
class UpstreamClient;

// What the routes use. Each must outlive the router's use.
struct Gateway {
  const CorsPolicy& cors;
  const auth::Verifier* verifier;  // null only when the service will refuse to start for want of keys
  const RevocationCache& revocations;
  RateLimiting& rate_limiting;
  UpstreamClient& upstreams;
  const StaticSite* site;  // null when the gateway serves no files
};

// The gateway's public routes. The forwarded ones are auth::Access::Public(): the gateway checks a
// bearer token itself when one is sent (401 invalid-token for a bad, expired, revoked one or a
// disabled user's), and the services behind it check roles on every request. Every answer gets
// its CORS headers (api/cors.hpp).
//
//   GET HEAD POST PUT PATCH DELETE OPTIONS /api/v1/{area}/{rest...}
//        → `/api/v1/<rest>?<query>` on an instance of the area's service; the upstream's status,
//          headers and body come back. Gateway's own errors: 401 invalid-token, 403
//          cors-origin-refused (preflight), 404 unknown-area, 429 rate-limited, 502
//          upstream-failed, 503 upstream-unavailable, 504 upstream-timeout. A CORS preflight
//          from an allowed origin is answered 204 here.
//   GET HEAD /                 index.html of the static directory, else {"service","api"} JSON
//   GET HEAD /{path...}        only with a static directory: the file, index.html for app routes,
//                              404 file-not-found
//   every route of `own`       the gateway's own routes, its dead letters under
//                              /api/v1/gateway/admin/dead-letters… (messaging/dead_letters.hpp), with
//                              their own access, behind the same token and rate checks. Being
//                              literal paths they win over the catch-all above.
void RegisterRoutes(http::Router& router, const Gateway& gateway, const http::Router& own);

}  // namespace microstore::gateway::api
