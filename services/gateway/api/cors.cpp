#include "gateway/api/cors.hpp"

#include <exception>
#include <string>

#include "platform/http/problem.hpp"
#include "platform/http/server.hpp"

namespace microstore::gateway::api {
namespace {

namespace asio = boost::asio;
using http::Method;
using http::Request;
using http::Response;

asio::awaitable<Response> Answer(const CorsPolicy& policy, const http::Handler& handler, Request& request) {
  const auto origin = request.Header("Origin");
  const bool preflight =
      request.method == Method::kOptions && request.Header("Access-Control-Request-Method").has_value();
  const CorsVerdict verdict = DecideCors(policy, origin, preflight);
  Response response;
  if (verdict == CorsVerdict::kPreflight) {
    response = Response::Empty(204);
  } else if (verdict == CorsVerdict::kPreflightRefused) {
    response = http::Problem(403, "cors-origin-refused",
                             "origin " + std::string(*origin) + " may not call this API", &request);
  } else {
    try {
      response = co_await handler(request);
    } catch (...) {
      response = http::ProblemFor(std::current_exception(), request);
    }
  }
  for (auto& [name, value] : CorsHeaders(verdict, origin.value_or(""))) response.headers.Add(name, value);
  co_return response;
}

}  // namespace

http::Handler WithCors(const CorsPolicy& policy, http::Handler handler) {
  return
      [&policy, handler = std::move(handler)](Request& request) { return Answer(policy, handler, request); };
}

}  // namespace microstore::gateway::api
