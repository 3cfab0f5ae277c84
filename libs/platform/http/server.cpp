#include "platform/http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <list>
#include <map>

#include "platform/auth/jwt.hpp"
#include "platform/core/ids.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/request_reader.hpp"
#include "platform/log/log.hpp"

namespace microstore::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Caller-supplied ids are kept only when they are short and plain, so they cannot forge log
// lines or headers.
bool IsAcceptableId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

void AssignIds(Request& request) {
  const auto given = request.headers.Get("X-Request-Id");
  request.request_id = given && IsAcceptableId(*given) ? std::string(*given) : core::NewUuid();
  const auto correlation = request.headers.Get("X-Correlation-Id");
  request.correlation_id = correlation && IsAcceptableId(*correlation) ? std::string(*correlation) : request.request_id;
}

// Deadlines are timestamps checked by one sweep timer per server rather than a timer per socket
// operation: re-arming a timer on every read and write reprograms the reactor's timerfd, a
// system call per operation on the hottest path.
struct Connection {
  tcp::socket* socket = nullptr;
  bool busy = false;
  Clock::time_point deadline = Clock::time_point::max();
};

}  // namespace

struct Server::State {
  State(asio::any_io_executor ex, ServerOptions opts, const Router& r, const auth::Verifier* v,
        metrics::Registry& registry)
      : executor(std::move(ex)),
        options(std::move(opts)),
        router(r),
        verifier(v),
        acceptor(executor),
        grace_timer(executor),
        sweep_timer(executor),
        requests(metrics::CounterFamily(registry, "http_requests_total", "HTTP requests answered, by route and status")),
        durations(metrics::HistogramFamily(registry, "http_request_duration_seconds",
                                           "Time from the first byte of a request to its response written")),
        open_gauge(metrics::GaugeFamily(registry, "http_connections_open", "Open client connections").Add({})),
        accepted(metrics::CounterFamily(registry, "http_connections_accepted_total", "Client connections accepted")
                     .Add({})) {}

  asio::any_io_executor executor;
  ServerOptions options;
  const Router& router;
  const auth::Verifier* verifier;
  std::vector<ErrorMapper> mappers;
  tcp::acceptor acceptor;
  asio::steady_timer grace_timer;
  asio::steady_timer sweep_timer;
  std::list<Connection*> connections;
  bool stopping = false;
  std::function<void()> on_drained;

  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& durations;
  prometheus::Gauge& open_gauge;
  prometheus::Counter& accepted;
  // Label look-ups in prometheus-cpp hash and lock; caching the children keeps them off the
  // hot path after the first request of each kind.
  std::map<std::tuple<std::string_view, Method, int>, prometheus::Counter*> counter_cache;
  std::map<std::pair<std::string_view, Method>, prometheus::Histogram*> histogram_cache;

  void Observe(std::string_view route, Method method, int status, double seconds) {
    auto& counter = counter_cache[{route, method, status}];
    if (counter == nullptr) {
      counter = &requests.Add(
          {{"route", std::string(route)}, {"method", std::string(ToString(method))}, {"status", std::to_string(status)}});
    }
    counter->Increment();
    auto& histogram = histogram_cache[{route, method}];
    if (histogram == nullptr) {
      histogram = &durations.Add({{"route", std::string(route)}, {"method", std::string(ToString(method))}},
                                 metrics::LatencyBuckets());
    }
    histogram->Observe(seconds);
  }

  void Forget(Connection* connection) {
    connections.remove(connection);
    open_gauge.Decrement();
    if (stopping && connections.empty()) Drained();
  }

  // How often deadlines are checked: a quarter of the shortest timeout, within [10 ms, 250 ms].
  Clock::duration SweepPeriod() const {
    const auto shortest = std::min({options.read_timeout, options.idle_timeout, options.write_timeout});
    return std::clamp<Clock::duration>(shortest / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
  }

  void CloseOverdue() {
    const auto now = Clock::now();
    for (Connection* connection : connections) {
      if (connection->deadline <= now) {
        connection->deadline = Clock::time_point::max();
        beast::error_code ignored;
        connection->socket->cancel(ignored);
      }
    }
  }

  void Drained() {
    grace_timer.cancel();
    sweep_timer.cancel();
    if (auto callback = std::exchange(on_drained, nullptr)) asio::post(executor, std::move(callback));
  }

  // Routes, authenticates, authorises and runs the handler. Never throws.
  asio::awaitable<Response> Handle(Request& request, const Route*& route) {
    auto match = router.Find(request.method, request.Path());
    switch (match.kind) {
      case Router::Match::Kind::kBadPath:
        co_return Problem(400, "malformed-path", "the request path is not valid", &request);
      case Router::Match::Kind::kNotFound:
        co_return Problem(404, "route-not-found",
                          "no route for " + std::string(ToString(request.method)) + " " + std::string(request.Path()),
                          &request);
      case Router::Match::Kind::kMethodNotAllowed: {
        Response response = Problem(405, "method-not-allowed",
                                    std::string(ToString(request.method)) + " is not allowed here; allowed: " + match.allowed,
                                    &request);
        response.headers.Set("Allow", match.allowed);
        co_return response;
      }
      case Router::Match::Kind::kFound:
        break;
    }
    route = match.route;
    request.path_params = std::move(match.params);
    if (!route->access.IsPublic()) {
      const auto authorization = request.headers.Get("Authorization");
      const auto token = authorization ? auth::BearerToken(*authorization) : std::nullopt;
      if (!token) {
        Response response = Problem(401, "missing-token", "this route needs a bearer token", &request);
        response.headers.Set("WWW-Authenticate", "Bearer");
        co_return response;
      }
      if (verifier == nullptr) {
        co_return Problem(500, "internal-error", "token verification is not configured", &request);
      }
      auto verified = verifier->Verify(*token, std::chrono::system_clock::now());
      if (const auto* error = std::get_if<auth::VerifyError>(&verified)) {
        Response response = Problem(401, "invalid-token", std::string(auth::Describe(*error)), &request);
        response.headers.Set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        co_return response;
      }
      auto& principal = std::get<auth::Principal>(verified);
      if (!route->access.Allows(principal)) {
        co_return Problem(403, "forbidden", "this route " + route->access.Describe(), &request);
      }
      request.principal = std::move(principal);
    }
    std::exception_ptr error;
    try {
      co_return co_await route->handler(request);
    } catch (...) {
      error = std::current_exception();
    }
    co_return ProblemFor(error, request, mappers);
  }
};

Response ProblemFor(const std::exception_ptr& error, const Request& request, const std::vector<ErrorMapper>& mappers) {
  try {
    std::rethrow_exception(error);
  } catch (const HttpError& e) {
    return Problem(e.status(), e.code(), e.what(), &request, e.errors());
  } catch (...) {
  }
  for (const auto& mapper : mappers) {
    if (auto response = mapper(error, request)) return std::move(*response);
  }
  log::Error(request.LogContext(), "unhandled error", {{"error", log::What(error)}, {"path", request.Path()}});
  return Problem(500, "internal-error",
                 "the server failed to answer; quote request id " + request.request_id + " when reporting it", &request);
}

namespace {

bhttp::response<bhttp::string_body> ToBeast(Response&& response, const Request& request, const ServerOptions& options,
                                            bool keep_alive) {
  bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), 11};
  message.set(bhttp::field::server, options.service);
  if (!response.content_type.empty()) message.set(bhttp::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers.entries()) message.insert(name, value);
  if (!request.request_id.empty()) {
    message.set("X-Request-Id", request.request_id);
    message.set("X-Correlation-Id", request.correlation_id);
  }
  message.body() = std::move(response.body);
  message.keep_alive(keep_alive);
  message.prepare_payload();
  return message;
}

asio::awaitable<void> Session(std::shared_ptr<Server::State> state, tcp::socket socket) {
  auto& s = *state;
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  const auto peer = socket.remote_endpoint(ignored);
  const std::string remote = ignored ? std::string() : peer.address().to_string();
  Connection connection{&socket, false};
  s.connections.push_back(&connection);
  s.open_gauge.Increment();
  beast::flat_buffer buffer;
  bool refused = false;  // the last request was refused unread (too large, malformed)

  for (;;) {
    connection.busy = false;
    if (s.stopping) break;
    if (buffer.size() == 0) {
      connection.deadline = Clock::now() + s.options.idle_timeout;
      auto [ec, n] = co_await socket.async_read_some(buffer.prepare(4096), kTuple);
      if (ec) break;  // peer closed, idle for too long, or shutting down
      buffer.commit(n);
    }
    connection.busy = true;
    const auto started = Clock::now();
    RequestParser parser;  // the parser, limits and conversion of http/request_reader.hpp
    const RequestLimits limits{s.options.header_limit, s.options.body_limit};
    ApplyLimits(parser, limits);
    connection.deadline = started + s.options.read_timeout;
    auto [read_error, bytes_in] = co_await bhttp::async_read(socket, buffer, parser, kTuple);

    Request request;
    Response response;
    const Route* route = nullptr;
    bool keep_alive = false;
    if (read_error) {
      if (read_error == bhttp::error::end_of_stream || read_error == asio::error::eof ||
          read_error == asio::error::connection_reset || read_error == asio::error::operation_aborted) {
        // operation_aborted: the read deadline passed (a slow client) or the server is stopping.
        log::Debug("connection closed mid-request", {{"remote", remote}, {"reason", read_error.message()}});
        break;
      }
      request = PartialRequest(parser);
      AssignIds(request);
      response = RefusedRequest(read_error, limits, request);  // the connection is closed after
      refused = true;
    } else {
      request = FromBeast(parser.release(), remote);
      AssignIds(request);
      keep_alive = parser.keep_alive();
      connection.deadline = Clock::time_point::max();  // the handler's time is not the client's fault
      response = co_await s.Handle(request, route);
    }
    keep_alive = keep_alive && !s.stopping;
    const int status = response.status;
    auto message = ToBeast(std::move(response), request, s.options, keep_alive);
    const std::size_t bytes_out = message.body().size();
    // Observed before the write so the figures are complete by the time the client has them.
    const auto answered = Clock::now();
    const double seconds = std::chrono::duration<double>(answered - started).count();
    const std::string_view route_label = route != nullptr ? std::string_view(route->pattern) : "unmatched";
    s.Observe(route_label, request.method, status, seconds);
    connection.deadline = answered + s.options.write_timeout;
    auto [write_error, written] = co_await bhttp::async_write(socket, message, kTuple);

    const bool quiet = route_label.starts_with("/health/") || route_label == "/metrics";
    log::Write(quiet ? log::Level::kDebug : log::Level::kInfo, request.LogContext(), "request",
               {{"method", ToString(request.method)},
                {"path", request.Path()},
                {"route", route_label},
                {"status", status},
                {"duration_ms", std::round(seconds * 1e6) / 1e3},
                {"bytes_in", bytes_in},
                {"bytes_out", bytes_out},
                {"remote", remote},
                {"user", request.principal ? std::string_view(request.principal->subject) : std::string_view("-")}});
    if (write_error || !keep_alive) break;
  }
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  if (refused) {
    // A lingering close: the client may still be sending the body we refused. Closing with its
    // bytes unread would make the kernel answer with a reset, which can destroy our 413 before
    // the client has read it; so read and drop what comes, for a bounded time and amount.
    connection.deadline = Clock::now() + std::chrono::seconds(2);
    std::array<char, 16 * 1024> discard;
    for (std::size_t drained = 0; drained < 16 * 1024 * 1024;) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(discard), kTuple);
      if (ec) break;
      drained += n;
    }
  }
  socket.close(ignored);
  s.Forget(&connection);
}

asio::awaitable<void> SweepLoop(std::shared_ptr<Server::State> state) {
  auto& s = *state;
  while (!(s.stopping && s.connections.empty())) {
    s.sweep_timer.expires_after(s.SweepPeriod());
    auto [ec] = co_await s.sweep_timer.async_wait(kTuple);
    if (ec && s.stopping && s.connections.empty()) co_return;
    s.CloseOverdue();
  }
}

asio::awaitable<void> AcceptLoop(std::shared_ptr<Server::State> state) {
  auto& s = *state;
  for (;;) {
    auto [ec, socket] = co_await s.acceptor.async_accept(kTuple);
    if (s.stopping) co_return;
    if (ec) {
      // Out of file descriptors and the like: back off instead of spinning.
      log::Warn("accept failed", {{"error", ec.message()}});
      asio::steady_timer pause(s.executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    s.accepted.Increment();
    asio::co_spawn(s.executor, Session(state, std::move(socket)), log::OnFailure{"http connection"});
  }
}

}  // namespace

Server::Server(asio::any_io_executor executor, ServerOptions options, const Router& router,
               const auth::Verifier* verifier, metrics::Registry& registry)
    : state_(std::make_shared<State>(std::move(executor), std::move(options), router, verifier, registry)) {}

Server::~Server() {
  beast::error_code ignored;
  state_->acceptor.close(ignored);
}

void Server::AddErrorMapper(ErrorMapper mapper) { state_->mappers.push_back(std::move(mapper)); }

std::uint16_t Server::Start() {
  auto& s = *state_;
  const tcp::endpoint endpoint(asio::ip::make_address(s.options.host), s.options.port);
  s.acceptor.open(endpoint.protocol());
  s.acceptor.set_option(asio::socket_base::reuse_address(true));
  s.acceptor.bind(endpoint);
  s.acceptor.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(s.executor, AcceptLoop(state_), log::OnFailure{"http accept loop"});
  asio::co_spawn(s.executor, SweepLoop(state_), log::OnFailure{"http deadline sweep"});
  return s.acceptor.local_endpoint().port();
}

void Server::Shutdown(std::function<void()> on_drained) {
  auto& s = *state_;
  if (s.stopping) return;
  s.stopping = true;
  s.on_drained = std::move(on_drained);
  beast::error_code ignored;
  s.acceptor.close(ignored);
  for (Connection* connection : s.connections) {
    if (!connection->busy) connection->socket->cancel(ignored);
  }
  if (s.connections.empty()) {
    s.Drained();
    return;
  }
  log::Info("draining connections", {{"open", s.connections.size()}});
  s.grace_timer.expires_after(s.options.shutdown_grace);
  s.grace_timer.async_wait([state = state_](const beast::error_code& ec) {
    if (ec) return;
    log::Warn("shutdown grace period over; closing connections", {{"open", state->connections.size()}});
    for (Connection* connection : state->connections) {
      beast::error_code ignored;
      connection->socket->close(ignored);
    }
    // A handler still awaiting something (work on a worker pool) keeps its session, and so its
    // connection, alive however long: it is abandoned, not waited for.
    state->Drained();
  });
}

std::size_t Server::open_connections() const { return state_->connections.size(); }

}  // namespace microstore::http
