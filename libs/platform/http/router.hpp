#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/auth/roles.hpp"
#include "platform/http/message.hpp"

namespace microstore::http {

// A handler answers one request. It runs on the server's event loop: it may co_await I/O but
// must not block (CPU-heavy work goes to a worker pool). Throwing HttpError answers with that
// problem; any other exception becomes a 500 that is logged with the request's correlation id.
using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct Route {
  Method method;
  std::string pattern;  // "/orders/{id}/cancel"; also the `route` label of metrics and logs
  auth::Access access;
  Handler handler;
};

// Maps method + path to a route. Patterns are '/'-separated segments; a `{name}` segment
// matches any one non-empty segment and binds it as a path parameter. Literal segments win
// over parameters, so "/orders/mine" and "/orders/{id}" can coexist. A last segment `{name...}`
// matches the rest of the path (one or more segments) and binds it raw, not percent-decoded; it
// is tried after literals and parameters (the gateway's catch-all routes).
class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Registering the same method and pattern twice, or a malformed pattern, is a programming
  // error and throws std::logic_error at start-up.
  void Add(Method method, std::string_view pattern, auth::Access access, Handler handler);
  void Get(std::string_view p, auth::Access a, Handler h) { Add(Method::kGet, p, std::move(a), std::move(h)); }
  void Post(std::string_view p, auth::Access a, Handler h) { Add(Method::kPost, p, std::move(a), std::move(h)); }
  void Put(std::string_view p, auth::Access a, Handler h) { Add(Method::kPut, p, std::move(a), std::move(h)); }
  void Patch(std::string_view p, auth::Access a, Handler h) { Add(Method::kPatch, p, std::move(a), std::move(h)); }
  void Delete(std::string_view p, auth::Access a, Handler h) { Add(Method::kDelete, p, std::move(a), std::move(h)); }

  struct Match {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed, kBadPath };
    Kind kind = Kind::kNotFound;
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
    std::string allowed;  // for kMethodNotAllowed: the Allow header value, e.g. "GET, POST"
  };
  Match Find(Method method, std::string_view path) const;

  // Every registered route, in registration order (documentation, the authorization matrix).
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace microstore::http
