#pragma once

#include <string>
#include <variant>

#include "platform/http/message.hpp"

namespace microstore::auth {
class Verifier;
}

namespace microstore::gateway {
class RevocationCache;
}

namespace microstore::gateway::api {

// Who a request comes from, for the rate limit: "user:<subject>" for a request with a valid
// bearer token, else "addr:<remote address>".
using ClientKey = std::string;

// Checks the bearer token a request carries, if it carries one: it must verify (signature,
// expiry) and be neither revoked nor a disabled user's. Answers the client's key, or the 401
// invalid-token (WWW-Authenticate: Bearer error="invalid_token") that refuses the request; any
// token is refused while `verifier` is null (the service then refuses to start anyway). A
// request without a token passes: the services behind the gateway decide whether a route needs
// one.
std::variant<ClientKey, http::Response> Authenticate(const http::Request& request,
                                                     const auth::Verifier* verifier,
                                                     const RevocationCache& revocations);

}  // namespace microstore::gateway::api
