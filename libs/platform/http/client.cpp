#include "platform/http/client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <map>
#include <vector>

namespace microstore::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct PooledStream {
  explicit PooledStream(asio::any_io_executor executor) : stream(std::move(executor)) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

bool IsIdempotent(Method method) {
  return method == Method::kGet || method == Method::kHead || method == Method::kOptions;
}

bhttp::verb ToVerb(Method method) {
  switch (method) {
    case Method::kGet: return bhttp::verb::get;
    case Method::kHead: return bhttp::verb::head;
    case Method::kPost: return bhttp::verb::post;
    case Method::kPut: return bhttp::verb::put;
    case Method::kPatch: return bhttp::verb::patch;
    case Method::kDelete: return bhttp::verb::delete_;
    case Method::kOptions: return bhttp::verb::options;
    case Method::kOther: break;
  }
  return bhttp::verb::unknown;
}

}  // namespace

struct Client::State {
  State(asio::any_io_executor ex, ClientOptions opts) : executor(std::move(ex)), options(opts), resolver(executor) {}
  asio::any_io_executor executor;
  ClientOptions options;
  tcp::resolver resolver;
  std::map<std::string, std::vector<std::unique_ptr<PooledStream>>> idle;
};

namespace {

[[noreturn]] void Fail(const std::string& endpoint, const char* stage, const beast::error_code& ec) {
  const bool timed_out = ec == beast::error::timeout;
  throw ClientError(std::string(stage) + " " + endpoint + ": " + (timed_out ? "timed out" : ec.message()), timed_out);
}

asio::awaitable<std::unique_ptr<PooledStream>> Connect(Client::State& s, const std::string& host, std::uint16_t port,
                                                       const std::string& endpoint) {
  auto [resolve_error, results] = co_await s.resolver.async_resolve(host, std::to_string(port), kTuple);
  if (resolve_error) Fail(endpoint, "resolving", resolve_error);
  auto pooled = std::make_unique<PooledStream>(s.executor);
  pooled->stream.expires_after(s.options.connect_timeout);
  auto [connect_error, connected] = co_await pooled->stream.async_connect(results, kTuple);
  if (connect_error) Fail(endpoint, "connecting to", connect_error);
  pooled->stream.socket().set_option(tcp::no_delay(true));
  co_return pooled;
}

}  // namespace

Client::Client(asio::any_io_executor executor, ClientOptions options)
    : state_(std::make_shared<State>(std::move(executor), options)) {}

Client::~Client() = default;

std::size_t Client::idle_connections() const {
  std::size_t count = 0;
  for (const auto& [endpoint, streams] : state_->idle) count += streams.size();
  return count;
}

asio::awaitable<ClientResponse> Client::Send(std::string host, std::uint16_t port, ClientRequest request) {
  auto state = state_;  // keeps the pool alive while this request is in flight
  auto& s = *state;
  const std::string endpoint = host + ":" + std::to_string(port);

  bhttp::request<bhttp::string_body> message{ToVerb(request.method), request.target, 11};
  message.set(bhttp::field::host, endpoint);
  for (const auto& [name, value] : request.headers.entries()) message.set(name, value);
  if (!request.body.empty() && !request.headers.Get("Content-Type")) {
    message.set(bhttp::field::content_type, "application/json");
  }
  message.body() = std::move(request.body);
  message.keep_alive(true);
  message.prepare_payload();

  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<PooledStream> pooled;
    auto& idle = s.idle[endpoint];
    const bool reused = !idle.empty();
    if (reused) {
      pooled = std::move(idle.back());
      idle.pop_back();
    } else {
      pooled = co_await Connect(s, host, port, endpoint);
    }
    pooled->stream.expires_after(s.options.request_timeout);
    auto [write_error, written] = co_await bhttp::async_write(pooled->stream, message, kTuple);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(s.options.body_limit);
    beast::error_code read_error;
    if (!write_error) {
      std::tie(read_error, std::ignore) = co_await bhttp::async_read(pooled->stream, pooled->buffer, parser, kTuple);
    }
    const auto& error = write_error ? write_error : read_error;
    if (error) {
      const bool stale = reused && !parser.got_some() && error != beast::error::timeout;
      if (stale && attempt == 0 && IsIdempotent(request.method)) {
        // A server closes idle connections by age, so the others pooled with this one are as
        // stale: drop them and retry on a fresh connection.
        s.idle[endpoint].clear();
        continue;
      }
      Fail(endpoint, write_error ? "sending to" : "reading from", error);
    }
    auto response_message = parser.release();
    ClientResponse response;
    response.status = static_cast<int>(response_message.result_int());
    for (const auto& field : response_message) {
      response.headers.Add(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(response_message.body());
    if (response_message.keep_alive() && s.idle[endpoint].size() < s.options.max_idle_per_endpoint) {
      pooled->stream.expires_never();
      s.idle[endpoint].push_back(std::move(pooled));
    }
    co_return response;
  }
}

}  // namespace microstore::http
