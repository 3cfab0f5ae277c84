#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>

#include "gateway/api/config.hpp"
#include "platform/http/message.hpp"
#include "platform/http/router.hpp"

namespace microstore::auth {
class Verifier;
}

namespace microstore::gateway {

class RevocationCache;

// The gateway's request handling: proxying `/api/v1/<area>/<rest>` to the area's instances
// (round robin over the healthy ones, active health checks, a retry on another instance for GET
// and HEAD), token checks against the verifier and the revocation cache, rate limiting, CORS,
// the storefront's static files, and its own operational routes (its dead letters). Everything
// runs on the event loop `io`; files are read on `workers`.
//
// Metrics (metrics::Default()): gateway_upstream_requests_total{area,outcome} per attempt, with
// outcome ok (< 500), error_status (5xx), timeout, failed (refused, reset, unreadable) or
// unavailable (no healthy instance); gateway_upstream_seconds{area}; gateway_rate_limited_total;
// gateway_upstream_healthy{area,instance} (1 or 0).
class Gateway {
 public:
  // `verifier` (null only when the service will refuse to start for want of keys) and
  // `revocations` must outlive the gateway.
  Gateway(GatewayConfig config, boost::asio::any_io_executor io, boost::asio::any_io_executor workers,
          const auth::Verifier* verifier, const RevocationCache& revocations);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Starts / stops polling every instance's GET /health/ready (call from the event loop's thread
  // or before it runs).
  void Start();
  void Stop();

  // Route handlers (see RegisterRoutes).
  boost::asio::awaitable<http::Response> Api(http::Request& request);
  // One of the gateway's own routes (`handler`), behind the same checks as a forwarded request.
  boost::asio::awaitable<http::Response> Own(http::Request& request, http::Handler handler);
  boost::asio::awaitable<http::Response> Root(http::Request& request);
  boost::asio::awaitable<http::Response> File(http::Request& request);
  bool ServesFiles() const;

  struct State;  // defined in the .cpp; named here so its helpers can take it

 private:
  std::shared_ptr<State> state_;
};

}  // namespace microstore::gateway
