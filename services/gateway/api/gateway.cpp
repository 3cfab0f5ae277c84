#include "gateway/api/gateway.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "gateway/api/forwarding.hpp"
#include "gateway/api/static_site.hpp"
#include "platform/auth/jwt.hpp"
#include "gateway/domain/rate_limiter.hpp"
#include "gateway/domain/revocations.hpp"
#include "gateway/domain/static_path.hpp"
#include "gateway/domain/upstreams.hpp"
#include "platform/http/client.hpp"
#include "platform/http/problem.hpp"
#include "platform/log/log.hpp"
#include "platform/metrics/metrics.hpp"

namespace microstore::gateway {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using http::Method;
using http::Request;
using http::Response;
using SteadyClock = std::chrono::steady_clock;

// A health check slower than this counts as failed, however long real requests may take.
constexpr std::chrono::milliseconds kMaxHealthCheckTime = 5s;

struct Area {
  std::string name;
  std::vector<UpstreamAddress> instances;
  UpstreamRing ring;
  std::vector<prometheus::Gauge*> healthy_gauges;
  prometheus::Histogram* seconds = nullptr;
  prometheus::Family<prometheus::Counter>* outcomes = nullptr;
  std::map<std::string, prometheus::Counter*, std::less<>> outcome_counters;

  void Count(std::string_view outcome) {
    auto& counter = outcome_counters[std::string(outcome)];
    if (counter == nullptr) counter = &outcomes->Add({{"area", name}, {"outcome", std::string(outcome)}});
    counter->Increment();
  }
};

http::ClientOptions ProxyClientOptions(const GatewayConfig& config) {
  http::ClientOptions options;
  options.connect_timeout = config.connect_timeout;
  options.request_timeout = config.upstream_timeout;
  options.max_idle_per_endpoint = 64;
  return options;
}

// Writes never reuse a pooled connection. An upstream closes idle keep-alive connections (after
// its MICROSTORE_HTTP_IDLE_TIMEOUT), and a request sent on such a connection fails; the platform's
// client resends only GET, HEAD and OPTIONS on a fresh connection then, since it cannot tell
// whether the server saw the request. A POST would come back 502 after every quiet minute.
http::ClientOptions WriteClientOptions(const GatewayConfig& config) {
  http::ClientOptions options = ProxyClientOptions(config);
  options.max_idle_per_endpoint = 0;
  return options;
}

http::ClientOptions HealthClientOptions(const GatewayConfig& config) {
  http::ClientOptions options;
  options.connect_timeout = config.connect_timeout;
  options.request_timeout = std::min(config.upstream_timeout, kMaxHealthCheckTime);
  options.max_idle_per_endpoint = 1;
  return options;
}

std::string SecondsText(std::chrono::milliseconds duration) {
  const auto seconds = (duration.count() + 999) / 1000;
  return std::to_string(std::max<std::int64_t>(1, seconds));
}

}  // namespace

struct Gateway::State {
  State(GatewayConfig c, asio::any_io_executor io_executor, asio::any_io_executor worker_executor,
        const auth::Verifier* v, const RevocationCache& r)
      : config(std::move(c)),
        io(std::move(io_executor)),
        verifier(v),
        revocations(r),
        client(io, ProxyClientOptions(config)),
        write_client(io, WriteClientOptions(config)),
        health_client(io, HealthClientOptions(config)),
        rate_limited(metrics::CounterFamily(metrics::Default(), "gateway_rate_limited_total",
                                            "Requests refused with 429 by the per-client rate limit")
                         .Add({})) {
    if (config.rate_limit > 0) {
      limiter.emplace(
          RateLimit{static_cast<double>(config.rate_limit), static_cast<double>(config.rate_burst)});
    }
    if (!config.static_dir.empty()) site.emplace(config.static_dir, std::move(worker_executor));
    auto& outcomes = metrics::CounterFamily(metrics::Default(), "gateway_upstream_requests_total",
                                            "Requests sent to upstream instances, by area and outcome");
    auto& seconds = metrics::HistogramFamily(metrics::Default(), "gateway_upstream_seconds",
                                             "Time from sending a request upstream to its answer, by area");
    auto& healthy = metrics::GaugeFamily(metrics::Default(), "gateway_upstream_healthy",
                                         "1 while an upstream instance is considered healthy, else 0");
    for (const auto& area_config : config.areas) {
      Area area{area_config.name,
                area_config.instances,
                UpstreamRing(area_config.instances.size()),
                {},
                nullptr,
                &outcomes,
                {}};
      area.seconds = &seconds.Add({{"area", area.name}}, metrics::LatencyBuckets());
      for (const auto& instance : area.instances) {
        auto& gauge = healthy.Add({{"area", area.name}, {"instance", instance.Label()}});
        gauge.Set(1);
        area.healthy_gauges.push_back(&gauge);
      }
      areas.emplace(area.name, std::move(area));
    }
  }

  void SetHealth(Area& area, std::size_t index, bool healthy, std::string_view reason) {
    if (area.ring.Healthy(index) != healthy) {
      const std::string instance = area.instances[index].Label();
      if (healthy) {
        log::Info("upstream instance healthy", {{"area", area.name}, {"instance", instance}});
      } else {
        log::Warn("upstream instance unhealthy",
                  {{"area", area.name}, {"instance", instance}, {"reason", reason}});
      }
    }
    area.ring.SetHealthy(index, healthy);
    area.healthy_gauges[index]->Set(healthy ? 1 : 0);
  }

  GatewayConfig config;
  asio::any_io_executor io;
  const auth::Verifier* verifier;
  const RevocationCache& revocations;
  http::Client client;        // GET and HEAD, over kept-alive connections
  http::Client write_client;  // every other method, over a fresh connection each
  http::Client health_client;
  std::map<std::string, Area, std::less<>> areas;
  std::optional<RateLimiter> limiter;
  std::optional<StaticSite> site;
  prometheus::Counter& rate_limited;
  std::vector<std::unique_ptr<asio::steady_timer>> health_timers;
  bool stopped = false;
};

namespace {

Response InvalidToken(const Request& request, std::string_view detail) {
  Response response = http::Problem(401, "invalid-token", detail, &request);
  response.headers.Set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return response;
}

Response FromUpstream(http::ClientResponse answer, bool head) {
  Response response;
  response.status = answer.status;
  CopyResponseHeaders(answer.headers, response);
  if (!head) response.body = std::move(answer.body);
  return response;
}

// Sends the request to one healthy instance of `area`. GET and HEAD, which change nothing, move
// to another healthy instance once after a connection failure, a timeout, a 502 or a 503. Other
// methods are never retried: the first instance may have acted on the request before failing
// (a timeout says nothing about whether an order was placed), and doing it twice is worse than
// reporting the failure; the client decides, with an Idempotency-Key where the service has one.
asio::awaitable<Response> SendUpstream(std::shared_ptr<Gateway::State> state, Area* area, Request& request) {
  auto& s = *state;
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

  std::optional<std::size_t> previous;
  std::optional<Response> fallback;
  const int attempts = idempotent ? 2 : 1;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    const auto picked = area->ring.Pick(previous);
    if (!picked) break;
    previous = picked;
    const UpstreamAddress& address = area->instances[*picked];
    http::ClientRequest outgoing = upstream;
    std::optional<http::ClientResponse> answer;
    std::optional<http::ClientError> failure;
    const auto started = SteadyClock::now();
    try {
      http::Client& client = idempotent ? s.client : s.write_client;
      answer = co_await client.Send(address.host, address.port, std::move(outgoing));
    } catch (const http::ClientError& e) {
      failure = e;
    }
    area->seconds->Observe(std::chrono::duration<double>(SteadyClock::now() - started).count());
    if (failure) {
      const bool timed_out = failure->timed_out();
      area->Count(timed_out ? "timeout" : "failed");
      s.SetHealth(*area, *picked, false, failure->what());
      log::Warn(request.LogContext(), "upstream request failed",
                {{"area", area->name},
                 {"instance", address.Label()},
                 {"error", failure->what()},
                 {"attempt", attempt + 1}});
      fallback = timed_out ? http::Problem(504, "upstream-timeout",
                                           "the " + area->name + " service did not answer in time", &request)
                           : http::Problem(502, "upstream-failed",
                                           "the " + area->name + " service could not be reached", &request);
      continue;
    }
    area->Count(answer->status >= 500 ? "error_status" : "ok");
    Response response = FromUpstream(std::move(*answer), head);
    if ((response.status == 502 || response.status == 503) && attempt + 1 < attempts) {
      fallback = std::move(response);
      continue;
    }
    co_return response;
  }
  if (fallback) co_return std::move(*fallback);
  area->Count("unavailable");
  Response response =
      http::Problem(503, "upstream-unavailable",
                    "no instance of the " + area->name + " service is available; retry shortly", &request);
  response.headers.Set("Retry-After", SecondsText(s.config.health_interval));
  co_return response;
}

// The door every request passes, forwarded or the gateway's own: the token (when one is sent)
// must be valid and neither revoked nor a disabled user's, and the client within its rate.
// Returns the refusal, or nullopt to let the request in.
std::optional<Response> Admit(Gateway::State& s, const Request& request) {
  std::string client_key;
  if (const auto authorization = request.Header("Authorization")) {
    if (const auto token = auth::BearerToken(*authorization)) {
      if (s.verifier == nullptr) return InvalidToken(request, "token verification is not configured");
      const auto verified = s.verifier->Verify(*token, WallClock::now());
      if (const auto* error = std::get_if<auth::VerifyError>(&verified)) {
        return InvalidToken(request, auth::Describe(*error));
      }
      const auto& principal = std::get<auth::Principal>(verified);
      if (const Refusal refusal = s.revocations.Check(principal.subject, principal.token_id);
          refusal != Refusal::kNone) {
        return InvalidToken(request, Describe(refusal));
      }
      client_key = "user:" + principal.subject;
    }
  }
  if (client_key.empty()) client_key = "addr:" + request.remote_address;
  if (s.limiter) {
    const auto decision = s.limiter->Take(client_key, SteadyClock::now());
    if (!decision.allowed) {
      s.rate_limited.Increment();
      const std::string seconds = std::to_string(decision.retry_after.count());
      Response response =
          http::Problem(429, "rate-limited", "too many requests; retry in " + seconds + " s", &request);
      response.headers.Set("Retry-After", seconds);
      return response;
    }
  }
  return std::nullopt;
}

asio::awaitable<Response> Forward(std::shared_ptr<Gateway::State> state, Request& request) {
  auto& s = *state;
  if (auto refusal = Admit(s, request)) co_return std::move(*refusal);
  const std::string area_name(request.Param("area"));
  const auto found = s.areas.find(area_name);
  if (found == s.areas.end()) {
    std::string known;
    for (const auto& [name, area] : s.areas) known += (known.empty() ? "" : ", ") + name;
    co_return http::Problem(404, "unknown-area", "no area '" + area_name + "'; areas: " + known, &request);
  }
  co_return co_await SendUpstream(state, &found->second, request);
}

asio::awaitable<Response> ServeRoot(std::shared_ptr<Gateway::State> state, Request& request) {
  if (state->site) co_return co_await state->site->Serve(request, "");
  Response response = Response::Json(200, {{"service", "microstore gateway"}, {"api", "/api/v1"}});
  if (request.method == Method::kHead) response.body.clear();
  co_return response;
}

asio::awaitable<Response> ServeFile(std::shared_ptr<Gateway::State> state, Request& request) {
  const std::string_view raw = request.Param("path");
  // /api/v1/<area> without a rest, and the like, must not turn into the single-page app.
  if (raw == "api" || raw.starts_with("api/")) {
    co_return http::Problem(404, "route-not-found", "no route for " + std::string(request.Path()), &request);
  }
  auto relative = ResolveStaticPath(raw);
  if (!relative) co_return http::Problem(404, "file-not-found", "no such file", &request);
  co_return co_await state->site->Serve(request, std::move(*relative));
}

asio::awaitable<Response> ServeOwn(std::shared_ptr<Gateway::State> state, Request& request,
                                   const http::Handler& handler) {
  if (auto refusal = Admit(*state, request)) co_return std::move(*refusal);
  co_return co_await handler(request);
}

enum class Handler { kApi, kRoot, kFile, kOwn };

// Every answer of the gateway, its own errors included, carries the CORS headers its origin is
// entitled to: a browser hides from the page any answer without them, a 401 or 429 as well.
asio::awaitable<Response> Guarded(std::shared_ptr<Gateway::State> state, Request& request, Handler handler,
                                  http::Handler own = {}) {
  const auto origin = request.Header("Origin");
  const bool preflight =
      request.method == Method::kOptions && request.Header("Access-Control-Request-Method").has_value();
  const CorsVerdict verdict = DecideCors(state->config.cors, origin, preflight);
  Response response;
  if (verdict == CorsVerdict::kPreflight) {
    response = Response::Empty(204);
  } else if (verdict == CorsVerdict::kPreflightRefused) {
    response = http::Problem(403, "cors-origin-refused",
                             "origin " + std::string(*origin) + " may not call this API", &request);
  } else {
    std::exception_ptr failure;
    try {
      switch (handler) {
        case Handler::kApi:
          response = co_await Forward(state, request);
          break;
        case Handler::kRoot:
          response = co_await ServeRoot(state, request);
          break;
        case Handler::kFile:
          response = co_await ServeFile(state, request);
          break;
        case Handler::kOwn:
          response = co_await ServeOwn(state, request, own);
          break;
      }
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const http::HttpError& e) {
        response = http::Problem(e.status(), e.code(), e.what(), &request, e.errors());
      } catch (...) {
        log::Error(request.LogContext(), "unhandled error",
                   {{"error", log::What(failure)}, {"path", request.Path()}});
        response =
            http::Problem(500, "internal-error",
                          "the gateway failed to answer; quote request id " + request.request_id, &request);
      }
    }
  }
  for (auto& [name, value] : CorsHeaders(verdict, origin.value_or(""))) response.headers.Add(name, value);
  co_return response;
}

asio::awaitable<void> WatchInstance(std::shared_ptr<Gateway::State> state, Area* area, std::size_t index,
                                    asio::steady_timer* timer) {
  auto& s = *state;
  const UpstreamAddress address = area->instances[index];
  while (!s.stopped) {
    bool healthy = false;
    std::string reason;
    http::ClientRequest probe;
    probe.target = "/health/ready";
    try {
      const auto answer = co_await s.health_client.Send(address.host, address.port, std::move(probe));
      healthy = answer.status == 200;
      if (!healthy) reason = "GET /health/ready answered " + std::to_string(answer.status);
    } catch (const http::ClientError& e) {
      reason = e.what();
    }
    if (s.stopped) break;
    s.SetHealth(*area, index, healthy, reason);
    timer->expires_after(s.config.health_interval);
    co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace

Gateway::Gateway(GatewayConfig config, asio::any_io_executor io, asio::any_io_executor workers,
                 const auth::Verifier* verifier, const RevocationCache& revocations)
    : state_(std::make_shared<State>(std::move(config), std::move(io), std::move(workers), verifier,
                                     revocations)) {}

Gateway::~Gateway() { Stop(); }

void Gateway::Start() {
  auto& s = *state_;
  if (!s.health_timers.empty() || s.stopped) return;
  for (auto& [name, area] : s.areas) {
    for (std::size_t index = 0; index < area.instances.size(); ++index) {
      s.health_timers.push_back(std::make_unique<asio::steady_timer>(s.io));
      asio::co_spawn(s.io, WatchInstance(state_, &area, index, s.health_timers.back().get()),
                     log::OnFailure{"upstream health check"});
    }
  }
}

void Gateway::Stop() {
  auto& s = *state_;
  s.stopped = true;
  for (auto& timer : s.health_timers) timer->cancel();
}

asio::awaitable<Response> Gateway::Api(Request& request) { return Guarded(state_, request, Handler::kApi); }
asio::awaitable<Response> Gateway::Own(Request& request, http::Handler handler) {
  return Guarded(state_, request, Handler::kOwn, std::move(handler));
}
asio::awaitable<Response> Gateway::Root(Request& request) { return Guarded(state_, request, Handler::kRoot); }
asio::awaitable<Response> Gateway::File(Request& request) { return Guarded(state_, request, Handler::kFile); }
bool Gateway::ServesFiles() const { return state_->site.has_value(); }

}  // namespace microstore::gateway
