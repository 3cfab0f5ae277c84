#include "gateway/api/upstream_client.hpp"

#include <algorithm>
#include <optional>

#include "gateway/api/forwarding.hpp"
#include "gateway/app/upstream_pool.hpp"
#include "gateway/domain/areas.hpp"
#include "platform/http/problem.hpp"
#include "platform/log/log.hpp"

namespace microstore::gateway::api {
namespace {

namespace asio = boost::asio;
using http::Method;
using http::Request;
using http::Response;
using SteadyClock = std::chrono::steady_clock;

http::ClientOptions ReadClientOptions(const UpstreamClientOptions& options) {
  http::ClientOptions client;
  client.connect_timeout = options.connect_timeout;
  client.request_timeout = options.upstream_timeout;
  client.max_idle_per_endpoint = 64;
  return client;
}

// Writes never reuse a pooled connection. An upstream closes idle keep-alive connections (after
// its MICROSTORE_HTTP_IDLE_TIMEOUT), and a request sent on such a connection fails; the platform's
// client resends only GET, HEAD and OPTIONS on a fresh connection then, since it cannot tell
// whether the server saw the request. A POST would come back 502 after every quiet minute.
http::ClientOptions WriteClientOptions(const UpstreamClientOptions& options) {
  http::ClientOptions client = ReadClientOptions(options);
  client.max_idle_per_endpoint = 0;
  return client;
}

std::string SecondsText(std::chrono::milliseconds duration) {
  const auto seconds = (duration.count() + 999) / 1000;
  return std::to_string(std::max<std::int64_t>(1, seconds));
}

Response FromUpstream(http::ClientResponse answer, bool head) {
  Response response;
  response.status = answer.status;
  CopyResponseHeaders(answer.headers, response);
  if (!head) response.body = std::move(answer.body);
  return response;
}

}  // namespace

UpstreamClient::UpstreamClient(asio::any_io_executor io, UpstreamPool& pool, UpstreamClientOptions options)
    : pool_(pool),
      options_(options),
      client_(io, ReadClientOptions(options_)),
      write_client_(io, WriteClientOptions(options_)),
      outcome_family_(metrics::CounterFamily(metrics::Default(), "gateway_upstream_requests_total",
                                             "Requests sent to upstream instances, by area and outcome")) {
  auto& seconds = metrics::HistogramFamily(metrics::Default(), "gateway_upstream_seconds",
                                           "Time from sending a request upstream to its answer, by area");
  for (const auto& [name, area] : pool_.areas()) {
    metrics_[name].seconds = &seconds.Add({{"area", name}}, metrics::LatencyBuckets());
  }
}

void UpstreamClient::Count(const std::string& area, std::string_view outcome) {
  auto& counter = metrics_[area].outcomes[std::string(outcome)];
  if (counter == nullptr) counter = &outcome_family_.Add({{"area", area}, {"outcome", std::string(outcome)}});
  counter->Increment();
}

asio::awaitable<Response> UpstreamClient::Forward(Request& request) {
  const std::string area_name(request.Param("area"));
  AreaInstances* area = pool_.Find(area_name);
  if (area == nullptr) {
    std::string known;
    for (const auto& [name, instances] : pool_.areas()) known += (known.empty() ? "" : ", ") + name;
    co_return http::Problem(404, "unknown-area", "no area '" + area_name + "'; areas: " + known, &request);
  }
  co_return co_await Send(*area, request);
}

// GET and HEAD, which change nothing, move to another healthy instance once after a connection
// failure, a timeout, a 502 or a 503. Other methods are never retried: the first instance may
// have acted on the request before failing (a timeout says nothing about whether an order was
// placed), and doing it twice is worse than reporting the failure; the client decides, with an
// Idempotency-Key where the service has one.
asio::awaitable<Response> UpstreamClient::Send(AreaInstances& area, Request& request) {
  const bool head = request.method == Method::kHead;
  const bool idempotent = head || request.method == Method::kGet;

  http::ClientRequest upstream;
  // The platform's client cannot read the answer to a HEAD (it would wait for the body the
  // Content-Length announces), and the services route GET only: a HEAD goes up as a GET and the
  // body is dropped here.
  upstream.method = head ? Method::kGet : request.method;
  upstream.target = UpstreamTarget(request.Param("rest"), request.QueryString());
  upstream.headers = UpstreamRequestHeaders(request.headers, {.request_id = request.request_id,
                                                              .correlation_id = request.correlation_id,
                                                              .client_address = request.remote_address});
  upstream.body = request.body;

  prometheus::Histogram& seconds = *metrics_[area.name()].seconds;
  std::optional<std::size_t> previous;
  std::optional<Response> fallback;
  const int attempts = idempotent ? 2 : 1;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    const auto picked = area.Pick(previous);
    if (!picked) break;
    previous = picked;
    const UpstreamAddress& address = area.address(*picked);
    http::ClientRequest outgoing = upstream;
    std::optional<http::ClientResponse> answer;
    std::optional<http::ClientError> failure;
    const auto started = SteadyClock::now();
    try {
      http::Client& client = idempotent ? client_ : write_client_;
      answer = co_await client.Send(address.host, address.port, std::move(outgoing));
    } catch (const http::ClientError& e) {
      failure = e;
    }
    seconds.Observe(std::chrono::duration<double>(SteadyClock::now() - started).count());
    if (failure) {
      const bool timed_out = failure->timed_out();
      Count(area.name(), timed_out ? "timeout" : "failed");
      area.SetHealth(*picked, false, failure->what());
      log::Warn(request.LogContext(), "upstream request failed",
                {{"area", area.name()},
                 {"instance", address.Label()},
                 {"error", failure->what()},
                 {"attempt", attempt + 1}});
      fallback = timed_out ? http::Problem(504, "upstream-timeout",
                                           "the " + area.name() + " service did not answer in time", &request)
                           : http::Problem(502, "upstream-failed",
                                           "the " + area.name() + " service could not be reached", &request);
      continue;
    }
    Count(area.name(), answer->status >= 500 ? "error_status" : "ok");
    Response response = FromUpstream(std::move(*answer), head);
    if ((response.status == 502 || response.status == 503) && attempt + 1 < attempts) {
      fallback = std::move(response);
      continue;
    }
    co_return response;
  }
  if (fallback) co_return std::move(*fallback);
  Count(area.name(), "unavailable");
  Response response =
      http::Problem(503, "upstream-unavailable",
                    "no instance of the " + area.name() + " service is available; retry shortly", &request);
  response.headers.Set("Retry-After", SecondsText(options_.retry_after));
  co_return response;
}

}  // namespace microstore::gateway::api
