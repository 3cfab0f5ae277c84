// The HTTP server over real loopback sockets: routing, problem+json, limits, deadlines,
// keep-alive, authentication and graceful shutdown.
#include "platform/http/server.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "platform/auth/jwt.hpp"
#include "platform/http/client.hpp"
#include "platform/http/problem.hpp"
#include "platform/testing/testing.hpp"

namespace microstore::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using nlohmann::json;
using auth::Role;

constexpr auto kIssuer = "microstore-identity";

// A blocking client that speaks raw bytes, so tests can send what no well-behaved client would.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    // A broken server must fail the test, not hang it.
    timeval timeout{10, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }

  void Send(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes)); }

  bhttp::response<bhttp::string_body> Read() {
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket_, buffer_, response);
    return response;
  }

  bhttp::response<bhttp::string_body> Request(std::string_view method, std::string_view target,
                                               std::string_view headers = "", std::string_view body = "") {
    std::string raw = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" +
                      std::string(headers) + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                      std::string(body);
    Send(raw);
    return Read();
  }

  // True when the server closed the connection (a read returns end of file).
  bool ClosedByPeer() {
    char byte;
    boost::system::error_code ec;
    socket_.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

json Body(const bhttp::response<bhttp::string_body>& response) { return json::parse(response.body()); }

class ServerTest : public ::testing::Test {
 protected:
  ServerTest()
      : keys_(auth::GenerateKeyPair("k1")),
        signer_(std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys_.seed))),
        verifier_(std::get<auth::Verifier>(auth::Verifier::FromConfig("k1:" + keys_.public_key, kIssuer))) {
    router_.Get("/items/{id}", auth::Access::Public(), [](Request& request) -> asio::awaitable<Response> {
      co_return Response::Json(200, {{"id", request.Param("id")},
                                     {"request_id", request.request_id},
                                     {"correlation_id", request.correlation_id}});
    });
    router_.Post("/items", auth::Access::Public(), [](Request& request) -> asio::awaitable<Response> {
      json body = request.Json();
      co_return Response::Json(201, {{"received", body}});
    });
    router_.Get("/slow", auth::Access::Public(), [this](Request&) -> asio::awaitable<Response> {
      slow_started_ = true;
      asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(300));
      co_await timer.async_wait(asio::use_awaitable);
      co_return Response::Json(200, {{"slow", true}});
    });
    router_.Get("/stuck", auth::Access::Public(), [this](Request&) -> asio::awaitable<Response> {
      stuck_started_ = true;
      asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::hours(1));
      co_await timer.async_wait(asio::use_awaitable);
      co_return Response::Empty(204);
    });
    router_.Get("/boom", auth::Access::Public(), [](Request&) -> asio::awaitable<Response> {
      throw std::runtime_error("secret internal detail");
      co_return Response::Empty(204);
    });
    router_.Get("/mapped", auth::Access::Public(), [](Request&) -> asio::awaitable<Response> {
      throw std::out_of_range("mapped");
      co_return Response::Empty(204);
    });
    router_.Get("/teapot", auth::Access::Public(), [](Request&) -> asio::awaitable<Response> {
      throw HttpError(422, "not-a-teapot", "the pot refused");
      co_return Response::Empty(204);
    });
    router_.Get("/me", auth::Access::Authenticated(), [](Request& request) -> asio::awaitable<Response> {
      co_return Response::Json(200, {{"subject", request.Caller().subject}});
    });
    router_.Post("/admin/things", auth::Access::AnyOf({Role::kAdmin}), [](Request&) -> asio::awaitable<Response> {
      co_return Response::Empty(204);
    });
  }

  ~ServerTest() override { Stop(); }

  void Start(ServerOptions options = {}) {
    options.port = 0;
    server_ = std::make_unique<Server>(io_.get_executor(), options, router_, &verifier_, registry_);
    server_->AddErrorMapper([](const std::exception_ptr& error, const Request& request) -> std::optional<Response> {
      try {
        std::rethrow_exception(error);
      } catch (const std::out_of_range&) {
        return Problem(503, "mapped", "mapped by the service", &request);
      } catch (...) {
        return std::nullopt;
      }
    });
    port_ = server_->Start();
    thread_ = std::thread([this] { io_.run(); });
  }

  void Stop() {
    if (!thread_.joinable()) return;
    asio::post(io_, [this] { server_->Shutdown([this] { drained_ = true; }); });
    thread_.join();
  }

  std::string Token(auth::RoleSet roles, std::chrono::seconds lifetime = std::chrono::minutes(5),
                    const auth::Signer* signer = nullptr) {
    const auto now = std::chrono::system_clock::now();
    auth::Claims claims{"user-1", roles, "jti-1", kIssuer, now, now + lifetime};
    return (signer ? signer : &signer_)->Sign(claims);
  }

  std::string Metrics() { return metrics::Serialize(registry_); }

  asio::io_context io_;
  metrics::Registry registry_;
  auth::GeneratedKeyPair keys_;
  auth::Signer signer_;
  auth::Verifier verifier_;
  Router router_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> slow_started_{false};
  std::atomic<bool> stuck_started_{false};
  std::atomic<bool> drained_{false};
};

TEST_F(ServerTest, RoutesWithPathParametersAndAnswersJson) {
  Start();
  RawConnection connection(port_);
  auto response = connection.Request("GET", "/items/abc");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response[bhttp::field::content_type], "application/json");
  EXPECT_EQ(Body(response)["id"], "abc");
}

TEST_F(ServerTest, KeepsAValidRequestIdAndMakesOneOtherwise) {
  Start();
  RawConnection connection(port_);
  auto kept = connection.Request("GET", "/items/1", "X-Request-Id: abc-123\r\nX-Correlation-Id: corr-9\r\n");
  EXPECT_EQ(kept["X-Request-Id"], "abc-123");
  EXPECT_EQ(kept["X-Correlation-Id"], "corr-9");
  EXPECT_EQ(Body(kept)["correlation_id"], "corr-9");

  auto made = connection.Request("GET", "/items/1", "X-Request-Id: <script>\r\n");
  EXPECT_NE(made["X-Request-Id"], "<script>");
  EXPECT_EQ(made["X-Request-Id"].size(), 36u);  // a UUID
  EXPECT_EQ(made["X-Correlation-Id"], made["X-Request-Id"]);
}

TEST_F(ServerTest, MalformedJsonIsAProblem) {
  Start();
  RawConnection connection(port_);
  auto response = connection.Request("POST", "/items", "Content-Type: application/json\r\n", "{\"name\": ");
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(response[bhttp::field::content_type], "application/problem+json");
  json problem = Body(response);
  EXPECT_EQ(problem["type"], "/problems/malformed-json");
  EXPECT_EQ(problem["status"], 400);
  EXPECT_EQ(problem["title"], "Bad Request");
  EXPECT_EQ(problem["instance"], "/items");
  EXPECT_FALSE(problem["request_id"].get<std::string>().empty());
}

TEST_F(ServerTest, NonJsonContentTypeIsUnsupported) {
  Start();
  RawConnection connection(port_);
  auto response = connection.Request("POST", "/items", "Content-Type: text/plain\r\n", "{}");
  EXPECT_EQ(response.result_int(), 415);
  EXPECT_EQ(Body(response)["type"], "/problems/unsupported-media-type");
}

TEST_F(ServerTest, AcceptsValidJson) {
  Start();
  RawConnection connection(port_);
  auto response = connection.Request("POST", "/items", "Content-Type: application/json; charset=utf-8\r\n", R"({"a":1})");
  EXPECT_EQ(response.result_int(), 201);
  EXPECT_EQ(Body(response)["received"]["a"], 1);
}

TEST_F(ServerTest, UnknownRouteIsNotFound) {
  Start();
  RawConnection connection(port_);
  auto response = connection.Request("GET", "/nowhere");
  EXPECT_EQ(response.result_int(), 404);
  EXPECT_EQ(response[bhttp::field::content_type], "application/problem+json");
  EXPECT_EQ(Body(response)["type"], "/problems/route-not-found");
}

TEST_F(ServerTest, WrongMethodIsNotAllowedAndSaysWhatIs) {
  Start();
  RawConnection connection(port_);
  auto response = connection.Request("DELETE", "/items/1");
  EXPECT_EQ(response.result_int(), 405);
  EXPECT_EQ(response[bhttp::field::allow], "GET");
  EXPECT_EQ(Body(response)["type"], "/problems/method-not-allowed");
}

TEST_F(ServerTest, OversizedBodyIsRefusedWith413) {
  ServerOptions options;
  options.body_limit = 1024;
  Start(options);
  RawConnection connection(port_);
  auto response = connection.Request("POST", "/items", "Content-Type: application/json\r\n",
                                     "\"" + std::string(4096, 'x') + "\"");
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(Body(response)["type"], "/problems/body-too-large");
  EXPECT_TRUE(connection.ClosedByPeer());
}

TEST_F(ServerTest, ClientStillSendingARefusedBodyReadsThe413) {
  // Far more than socket buffers hold: without a lingering close the server's close resets the
  // connection while the client is still writing, and the 413 is lost.
  ServerOptions options;
  options.body_limit = 1024;
  Start(options);
  RawConnection connection(port_);
  auto response = connection.Request("POST", "/items", "Content-Type: application/json\r\n",
                                     "\"" + std::string(8 << 20, 'x') + "\"");
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(Body(response)["type"], "/problems/body-too-large");
}

TEST_F(ServerTest, OversizedHeadersAreRefusedWith431) {
  ServerOptions options;
  options.header_limit = 1024;
  Start(options);
  RawConnection connection(port_);
  auto response = connection.Request("GET", "/items/1", "X-Big: " + std::string(4096, 'y') + "\r\n");
  EXPECT_EQ(response.result_int(), 431);
  EXPECT_EQ(Body(response)["type"], "/problems/headers-too-large");
}

TEST_F(ServerTest, GarbageIsABadRequest) {
  Start();
  RawConnection connection(port_);
  connection.Send("THIS IS NOT HTTP\r\n\r\n");
  auto response = connection.Read();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(Body(response)["type"], "/problems/malformed-request");
}

TEST_F(ServerTest, HandlerExceptionIsA500WithoutInternals) {
  Start();
  RawConnection connection(port_);
  auto response = connection.Request("GET", "/boom");
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_EQ(response.body().find("secret internal detail"), std::string::npos);
  EXPECT_NE(response.body().find(std::string(response["X-Request-Id"])), std::string::npos);
}

TEST_F(ServerTest, HttpErrorAndErrorMappersShapeTheProblem) {
  Start();
  RawConnection connection(port_);
  auto teapot = connection.Request("GET", "/teapot");
  EXPECT_EQ(teapot.result_int(), 422);
  EXPECT_EQ(Body(teapot)["detail"], "the pot refused");
  auto mapped = connection.Request("GET", "/mapped");
  EXPECT_EQ(mapped.result_int(), 503);
  EXPECT_EQ(Body(mapped)["type"], "/problems/mapped");
}

TEST_F(ServerTest, SlowClientIsCutOffByTheReadDeadline) {
  ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(200);
  Start(options);
  RawConnection connection(port_);
  connection.Send("GET /items/1 HTTP/1.1\r\nHost: te");  // and never the rest
  EXPECT_TRUE(connection.ClosedByPeer());
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(200);
  Start(options);
  RawConnection connection(port_);
  EXPECT_EQ(connection.Request("GET", "/items/1").result_int(), 200);
  EXPECT_TRUE(connection.ClosedByPeer());
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Start();
  RawConnection connection(port_);
  for (int i = 0; i < 5; ++i) {
    auto response = connection.Request("GET", "/items/" + std::to_string(i));
    ASSERT_EQ(response.result_int(), 200);
    EXPECT_TRUE(response.keep_alive());
    EXPECT_EQ(Body(response)["id"], std::to_string(i));
  }
  EXPECT_NE(Metrics().find("http_connections_accepted_total 1"), std::string::npos) << Metrics();
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Start();
  RawConnection connection(port_);
  connection.Send("GET /items/a HTTP/1.1\r\nHost: t\r\n\r\nGET /items/b HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(Body(connection.Read())["id"], "a");
  EXPECT_EQ(Body(connection.Read())["id"], "b");
}

TEST_F(ServerTest, CountsRequestsPerRouteAndStatus) {
  Start();
  RawConnection connection(port_);
  connection.Request("GET", "/items/1");
  connection.Request("GET", "/items/2");
  connection.Request("GET", "/nowhere");
  const std::string text = Metrics();
  EXPECT_NE(text.find(R"(http_requests_total{method="GET",route="/items/{id}",status="200"} 2)"), std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(http_requests_total{method="GET",route="unmatched",status="404"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(http_request_duration_seconds_count{method="GET",route="/items/{id}"} 2)"), std::string::npos);
}

TEST_F(ServerTest, GracefulShutdownFinishesTheRequestInFlight) {
  Start();
  RawConnection in_flight(port_);
  RawConnection idle(port_);
  EXPECT_EQ(idle.Request("GET", "/items/1").result_int(), 200);
  in_flight.Send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  while (!slow_started_) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  asio::post(io_, [this] { server_->Shutdown([this] { drained_ = true; }); });
  auto response = in_flight.Read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(Body(response)["slow"], true);
  EXPECT_FALSE(response.keep_alive());  // Connection: close while draining
  EXPECT_TRUE(idle.ClosedByPeer());
  thread_.join();  // the event loop runs out of work once drained
  EXPECT_TRUE(drained_);
  EXPECT_THROW(RawConnection refused(port_), boost::system::system_error);
}

TEST_F(ServerTest, AHandlerStillSuspendedAfterTheGracePeriodDoesNotHoldUpTheShutdown) {
  ServerOptions options;
  options.shutdown_grace = std::chrono::milliseconds(100);
  Start(options);
  RawConnection stuck(port_);
  stuck.Send("GET /stuck HTTP/1.1\r\nHost: t\r\n\r\n");
  while (!stuck_started_) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  asio::post(io_, [this] {
    server_->Shutdown([this] {
      drained_ = true;
      io_.stop();  // as runtime::Service does: the suspended handler is abandoned
    });
  });
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!drained_ && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(drained_) << "on_drained was not called after the grace period";
  EXPECT_TRUE(stuck.ClosedByPeer());
  io_.stop();
  thread_.join();
}

TEST_F(ServerTest, ProtectedRouteWithoutTokenIs401) {
  Start();
  RawConnection connection(port_);
  auto response = connection.Request("GET", "/me");
  EXPECT_EQ(response.result_int(), 401);
  EXPECT_EQ(response[bhttp::field::www_authenticate], "Bearer");
  EXPECT_EQ(Body(response)["type"], "/problems/missing-token");
}

TEST_F(ServerTest, ValidTokenReachesTheHandler) {
  Start();
  RawConnection connection(port_);
  auto response = connection.Request("GET", "/me", "Authorization: Bearer " + Token({Role::kCustomer}) + "\r\n");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(Body(response)["subject"], "user-1");
}

TEST_F(ServerTest, ExpiredTokenIs401) {
  Start();
  RawConnection connection(port_);
  auto response =
      connection.Request("GET", "/me", "Authorization: Bearer " + Token({Role::kCustomer}, -std::chrono::hours(1)) + "\r\n");
  EXPECT_EQ(response.result_int(), 401);
  EXPECT_EQ(Body(response)["type"], "/problems/invalid-token");
  EXPECT_NE(std::string(response[bhttp::field::www_authenticate]).find("invalid_token"), std::string::npos);
}

TEST_F(ServerTest, TokenSignedWithAnotherKeyIs401) {
  Start();
  auto other = auth::GenerateKeyPair("k1");  // same kid, different key
  auto other_signer = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + other.seed));
  RawConnection connection(port_);
  auto response = connection.Request(
      "GET", "/me", "Authorization: Bearer " + Token({Role::kAdmin}, std::chrono::minutes(5), &other_signer) + "\r\n");
  EXPECT_EQ(response.result_int(), 401);
}

TEST_F(ServerTest, TamperedTokenIs401) {
  Start();
  std::string token = Token({Role::kCustomer});
  const auto first_dot = token.find('.');
  token[first_dot + 5] = token[first_dot + 5] == 'A' ? 'B' : 'A';  // flip a payload character
  RawConnection connection(port_);
  auto response = connection.Request("POST", "/admin/things", "Authorization: Bearer " + token + "\r\n");
  EXPECT_EQ(response.result_int(), 401);
}

TEST_F(ServerTest, MissingRoleIs403AndTheRightRoleIsLetIn) {
  Start();
  RawConnection connection(port_);
  auto refused =
      connection.Request("POST", "/admin/things", "Authorization: Bearer " + Token({Role::kCustomer, Role::kOperator}) + "\r\n");
  EXPECT_EQ(refused.result_int(), 403);
  EXPECT_EQ(Body(refused)["type"], "/problems/forbidden");
  auto allowed = connection.Request("POST", "/admin/things", "Authorization: Bearer " + Token({Role::kAdmin}) + "\r\n");
  EXPECT_EQ(allowed.result_int(), 204);
}

// The client on the same kind of event loop: keep-alive reuse and deadlines.
TEST_F(ServerTest, ClientReusesItsConnection) {
  Start();
  asio::io_context client_io;
  Client client(client_io.get_executor());
  auto statuses = testing::Run(client_io, [](Client& c, std::uint16_t port) -> asio::awaitable<std::vector<int>> {
    std::vector<int> out;
    for (int i = 0; i < 3; ++i) {
      ClientRequest request;
      request.target = "/items/" + std::to_string(i);
      auto response = co_await c.Send("127.0.0.1", port, std::move(request));
      out.push_back(response.status);
    }
    co_return out;
  }(client, port_));
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 200}));
  EXPECT_EQ(client.idle_connections(), 1u);
  EXPECT_NE(Metrics().find("http_connections_accepted_total 1"), std::string::npos) << Metrics();
}

// A server closes its idle connections together (its idle timeout): after a stale pooled
// connection the client retries on a fresh one, not on the next equally stale pooled one.
TEST_F(ServerTest, ClientRetriesOnAFreshConnectionAfterTheServerClosedItsIdleOnes) {
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(100);
  Start(options);
  asio::io_context client_io;
  Client client(client_io.get_executor());
  const auto get = [](Client& c, std::uint16_t port) -> asio::awaitable<void> {
    ClientRequest request;
    request.target = "/items/1";
    co_await c.Send("127.0.0.1", port, std::move(request));
  };
  for (int i = 0; i < 3; ++i) asio::co_spawn(client_io, get(client, port_), asio::detached);
  client_io.run();
  ASSERT_EQ(client.idle_connections(), 3u);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the server closes all three

  ClientRequest request;
  request.target = "/items/2";
  const auto response = testing::Run(client_io, client.Send("127.0.0.1", port_, std::move(request)));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(client.idle_connections(), 1u);
}

TEST_F(ServerTest, ClientRequestTimesOut) {
  Start();
  asio::io_context client_io;
  ClientOptions options;
  options.request_timeout = std::chrono::milliseconds(50);
  Client client(client_io.get_executor(), options);
  ClientRequest request;
  request.target = "/slow";
  try {
    testing::Run(client_io, client.Send("127.0.0.1", port_, std::move(request)));
    FAIL() << "expected a timeout";
  } catch (const ClientError& e) {
    EXPECT_TRUE(e.timed_out()) << e.what();
  }
}

TEST_F(ServerTest, ClientReportsARefusedConnection) {
  const auto port = testing::FreePort();
  asio::io_context client_io;
  Client client(client_io.get_executor());
  try {
    testing::Run(client_io, client.Send("127.0.0.1", port, ClientRequest{}));
    FAIL() << "expected a connection error";
  } catch (const ClientError& e) {
    EXPECT_FALSE(e.timed_out());
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(port)), std::string::npos);
  }
}

}  // namespace
}  // namespace microstore::http
