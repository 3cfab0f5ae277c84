#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/http/router.hpp"
#include "platform/metrics/metrics.hpp"

namespace microstore::auth {
class Verifier;
}

namespace microstore::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                          // 0 picks a free port (tests)
  std::size_t header_limit = 16 * 1024;            // larger headers → 431
  std::size_t body_limit = 1024 * 1024;            // larger bodies → 413
  std::chrono::milliseconds read_timeout{10'000};  // first byte to last byte of one request
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds shutdown_grace{20'000};  // in-flight requests get this long on shutdown
  std::string service = "microstore";                // the Server header and log field
};

// Maps an exception a handler let escape to a response (e.g. a database outage → 503). The
// first mapper that returns a response wins; unmapped exceptions become a logged 500.
using ErrorMapper = std::function<std::optional<Response>(const std::exception_ptr&, const Request&)>;

// The answer for an exception a handler let escape, the one mapping every answer uses: an
// HttpError's own problem; else the first of `mappers` that maps it; else a 500 internal-error
// quoting the request id, logged with the error. The server answers with it; a handler that
// must finish every answer itself, its errors included (the gateway's CORS headers), calls it.
Response ProblemFor(const std::exception_ptr& error, const Request& request,
                    const std::vector<ErrorMapper>& mappers = {});

// HTTP/1.1 server: one coroutine per connection on the given executor (run by one thread),
// keep-alive, limits and deadlines on every read and write, problem+json errors, request and
// correlation ids, an access log line and metrics per request, and routes guarded by
// `auth::Access` (401 without a valid token, 403 without the role).
//
// Shutdown: `Shutdown` stops accepting, closes idle keep-alive connections, lets requests in
// flight finish and answers them with `Connection: close`, then calls `on_drained`. After
// `shutdown_grace` it closes whatever is left and calls `on_drained` at once, even while
// handlers are still suspended (their sessions end when they resume, or never, when the event
// loop is stopped first).
class Server {
 public:
  // `verifier` may be null when no route needs a token. Router and verifier must outlive the
  // server.
  Server(boost::asio::any_io_executor executor, ServerOptions options, const Router& router,
         const auth::Verifier* verifier, metrics::Registry& registry = metrics::Default());
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void AddErrorMapper(ErrorMapper mapper);

  // Binds and starts accepting; returns the bound port. Throws std::system_error when the
  // address is taken.
  std::uint16_t Start();
  void Shutdown(std::function<void()> on_drained = {});

  std::size_t open_connections() const;

  struct State;  // defined in the .cpp; named here so its helpers can take it

 private:
  std::shared_ptr<State> state_;
};

}  // namespace microstore::http
