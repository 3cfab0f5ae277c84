#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "platform/http/message.hpp"

namespace microstore::http {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{2'000};
  std::chrono::milliseconds request_timeout{10'000};  // write of the request through read of the response
  std::size_t max_idle_per_endpoint = 16;
  std::size_t body_limit = 8 * 1024 * 1024;
};

struct ClientRequest {
  Method method = Method::kGet;
  std::string target = "/";
  Headers headers;
  std::string body;  // sent with Content-Type from `headers` (default application/json when non-empty)
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

// Connecting, sending or reading failed (refused, reset, timed out). The message names the
// endpoint and the cause; `timed_out()` tells a deadline from other failures.
class ClientError : public std::runtime_error {
 public:
  ClientError(std::string message, bool timed_out) : std::runtime_error(std::move(message)), timed_out_(timed_out) {}
  bool timed_out() const { return timed_out_; }

 private:
  bool timed_out_;
};

// HTTP/1.1 client on the caller's event loop, keeping idle keep-alive connections per endpoint.
// A request sent on a reused connection that the server had already closed is retried once on
// a fresh connection, but only for GET, HEAD and OPTIONS: other methods may have taken effect.
class Client {
 public:
  explicit Client(boost::asio::any_io_executor executor, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  boost::asio::awaitable<ClientResponse> Send(std::string host, std::uint16_t port, ClientRequest request);

  std::size_t idle_connections() const;

  struct State;  // defined in the .cpp; named here so its helpers can take it

 private:
  std::shared_ptr<State> state_;
};

}  // namespace microstore::http
