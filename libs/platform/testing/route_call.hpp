#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>

#include "platform/http/message.hpp"
#include "platform/http/router.hpp"

namespace microstore::testing {

// Calls the route of `router` that matches `target` (path and query) as the HTTP server would,
// without a socket and without the server's token and role checks; an HttpError the handler
// throws comes back as {"type": code} with its status. Throws std::logic_error when no route
// matches.
boost::asio::awaitable<http::Response> CallRoute(const http::Router* router, http::Method method, std::string target);

}  // namespace microstore::testing
