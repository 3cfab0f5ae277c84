#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <string>

#include "platform/http/client.hpp"
#include "platform/http/message.hpp"
#include "platform/metrics/metrics.hpp"

namespace microstore::gateway {
class AreaInstances;
class UpstreamPool;
}  // namespace microstore::gateway

namespace microstore::gateway::api {

struct UpstreamClientOptions {
  std::chrono::milliseconds connect_timeout{2'000};
  std::chrono::milliseconds upstream_timeout{10'000};  // from sending the request to its answer: 504 after
  // Retry-After of a 503 when no instance is healthy: the health probe's interval, when the next
  // check may have found one again.
  std::chrono::milliseconds retry_after{2'000};
};

// Sends `/api/v1/<area>/<rest>` to an instance of the area's service and brings its answer back.
// Runs on `io`; must outlive the routes that use it.
//
// Metrics (metrics::Default()): gateway_upstream_requests_total{area,outcome} per attempt, with
// outcome ok (< 500), error_status (5xx), timeout, failed (refused, reset, unreadable) or
// unavailable (no healthy instance); gateway_upstream_seconds{area}.
class UpstreamClient {
 public:
  // `pool` must outlive the client.
  UpstreamClient(boost::asio::any_io_executor io, UpstreamPool& pool, UpstreamClientOptions options);
  UpstreamClient(const UpstreamClient&) = delete;
  UpstreamClient& operator=(const UpstreamClient&) = delete;

  // The upstream's status, headers (api/forwarding.hpp) and body (none for HEAD), or the
  // gateway's own problem: 404 unknown-area, 502 upstream-failed, 503 upstream-unavailable (with
  // Retry-After), 504 upstream-timeout. Reads the route's `area` and `rest` parameters.
  boost::asio::awaitable<http::Response> Forward(http::Request& request);

 private:
  struct AreaMetrics {
    prometheus::Histogram* seconds = nullptr;
    std::map<std::string, prometheus::Counter*, std::less<>> outcomes;  // created on first use
  };

  boost::asio::awaitable<http::Response> Send(AreaInstances& area, http::Request& request);
  void Count(const std::string& area, std::string_view outcome);

  UpstreamPool& pool_;
  UpstreamClientOptions options_;
  http::Client client_;        // GET and HEAD, over kept-alive connections
  http::Client write_client_;  // every other method, over a fresh connection each
  prometheus::Family<prometheus::Counter>& outcome_family_;
  std::map<std::string, AreaMetrics, std::less<>> metrics_;
};

}  // namespace microstore::gateway::api
