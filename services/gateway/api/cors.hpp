#pragma once

#include "gateway/domain/cors.hpp"
#include "platform/http/router.hpp"

namespace microstore::gateway::api {

// `handler` behind the gateway's CORS rules (domain/cors.hpp): a preflight is answered here, 204
// for an allowed origin and 403 cors-origin-refused for another; any other request goes to
// `handler`, and whatever it answers gets the CORS headers its origin is entitled to. That
// includes the gateway's own errors, a 401 or 429 as well as an exception, which becomes its
// problem here (http::ProblemFor, as the server would map it) rather than in the server: a
// browser hides from the page any answer without the headers. `policy` must outlive the handler.
http::Handler WithCors(const CorsPolicy& policy, http::Handler handler);

}  // namespace microstore::gateway::api
