// The platform's promises at the level of a real process: configuration errors, start-up
// migrations, readiness, signals and database trouble, seen from outside as an operator would.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>

#include "platform/auth/jwt.hpp"
#include "platform/testing/private_postgres.hpp"
#include "platform/testing/process.hpp"
#include "platform/testing/testing.hpp"

namespace microstore {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::HttpRequest;

class PingProcess : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Environment() {
    return {{"MICROSTORE_HTTP_PORT", std::to_string(port_)},
            {"MICROSTORE_DB_URL", database_.url()},
            {"MICROSTORE_LOG_LEVEL", "info"},
            {"MICROSTORE_SHUTDOWN_GRACE", "10s"},
            {"MICROSTORE_JWT_PUBLIC_KEYS", "k1:" + keys_.public_key}};
  }

  std::unique_ptr<ChildProcess> StartPing(std::map<std::string, std::string> overrides = {}) {
    auto environment = Environment();
    for (auto& [key, value] : overrides) environment[key] = value;
    return std::make_unique<ChildProcess>(MICROSTORE_PING_BINARY, std::vector<std::string>{}, environment);
  }

  std::unique_ptr<ChildProcess> StartReady() {
    auto ping = StartPing();
    EXPECT_TRUE(testing::WaitForHttpStatus(port_, "/health/ready", 200, 30s)) << ping->Output();
    return ping;
  }

  auth::GeneratedKeyPair keys_ = auth::GenerateKeyPair("k1");
  testing::TempDatabase database_;
  unsigned short port_ = testing::FreePort();
};

TEST_F(PingProcess, BadConfigurationExitsWith2NamingEveryVariable) {
  auto ping = StartPing({{"MICROSTORE_HTTP_PORT", "not-a-port"}, {"MICROSTORE_DB_POOL_SIZE", "0"}});
  EXPECT_EQ(ping->Wait(10s), 2);
  const std::string output = ping->Output();
  EXPECT_NE(output.find("MICROSTORE_HTTP_PORT='not-a-port'"), std::string::npos) << output;
  EXPECT_NE(output.find("MICROSTORE_DB_POOL_SIZE='0'"), std::string::npos) << output;
}

TEST_F(PingProcess, HelpListsTheVariables) {
  ChildProcess ping(MICROSTORE_PING_BINARY, {"--help"}, {});
  EXPECT_EQ(ping.Wait(10s), 0);
  EXPECT_NE(ping.Output().find("`MICROSTORE_DB_URL`"), std::string::npos) << ping.Output();
}

TEST_F(PingProcess, MigratesThenServesAndCountsInTheDatabase) {
  auto ping = StartReady();
  EXPECT_EQ(testing::QueryValueSync(database_.url(), "SELECT count(*) FROM schema_migrations"), "1");
  EXPECT_EQ(HttpRequest(port_, "POST", "/visits/alice").status, 200);
  auto second = HttpRequest(port_, "POST", "/visits/alice");
  EXPECT_EQ(nlohmann::json::parse(second.body)["visits"], 2);
  EXPECT_EQ(HttpRequest(port_, "GET", "/visits/bob").status, 404);
  EXPECT_EQ(HttpRequest(port_, "GET", "/health/live").status, 200);
  const auto metrics = HttpRequest(port_, "GET", "/metrics");
  EXPECT_NE(metrics.body.find(R"(http_requests_total{method="POST",route="/visits/{name}",status="200"} 2)"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("db_pool_connections"), std::string::npos);
}

TEST_F(PingProcess, SigtermFinishesTheRequestInFlightAndExitsZero) {
  auto ping = StartReady();
  namespace asio = boost::asio;
  namespace bhttp = boost::beast::http;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port_});
  asio::write(socket, asio::buffer(std::string("GET /ping?delay_ms=700 HTTP/1.1\r\nHost: t\r\n\r\n")));
  std::this_thread::sleep_for(200ms);  // let the request reach its handler
  ping->Signal(SIGTERM);
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(nlohmann::json::parse(response.body())["pong"], true);
  EXPECT_EQ(ping->Wait(15s), 0) << ping->Output();
  EXPECT_EQ(HttpRequest(port_, "GET", "/health/live").status, 0);  // nobody listens any more
}

TEST_F(PingProcess, EditedMigrationStopsTheServiceNamingTheFile) {
  testing::ExecSync(database_.url(),
                    "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
                    "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());"
                    "INSERT INTO schema_migrations (version, name, checksum) "
                    "VALUES (1, '0001_create_visits.sql', 'not-the-checksum-of-the-file')");
  auto ping = StartPing();
  EXPECT_EQ(ping->Wait(30s), 1) << ping->Output();
  EXPECT_NE(ping->Output().find("0001_create_visits.sql"), std::string::npos) << ping->Output();
}

TEST_F(PingProcess, NotReadyWhileTheDatabaseIsUnreachable) {
  const auto closed_port = testing::FreePort();
  auto ping = StartPing({{"MICROSTORE_DB_URL", "postgresql://postgres@127.0.0.1:" + std::to_string(closed_port) + "/x"},
                         {"MICROSTORE_DB_CONNECT_TIMEOUT", "500ms"}});
  ASSERT_TRUE(testing::WaitForHttpStatus(port_, "/health/live", 200, 30s)) << ping->Output();
  const auto ready = HttpRequest(port_, "GET", "/health/ready");
  EXPECT_EQ(ready.status, 503);
  const auto checks = nlohmann::json::parse(ready.body)["checks"];
  EXPECT_EQ(checks["migrations"], "pending");
  EXPECT_NE(checks["database"], "ok");
  const auto visit = HttpRequest(port_, "POST", "/visits/x");
  EXPECT_EQ(visit.status, 503);
  EXPECT_EQ(nlohmann::json::parse(visit.body)["type"], "/problems/database-unavailable");
}

TEST_F(PingProcess, KilledDatabaseConnectionsAreReplaced) {
  auto ping = StartReady();
  ASSERT_EQ(HttpRequest(port_, "POST", "/visits/carol").status, 200);
  // The timeout makes pg_terminate_backend wait until the backends are gone; a statement sent
  // on a connection whose backend is still dying fails with ConnectionLost (503) by design.
  testing::ExecSync(testing::PgAdminUrl(),
                    "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = '" +
                        database_.name() + "' AND pid <> pg_backend_pid()");
  const auto after = HttpRequest(port_, "POST", "/visits/carol");
  EXPECT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(nlohmann::json::parse(after.body)["visits"], 2);
}

TEST_F(PingProcess, TokenRoutesNeedTheConfiguredKey) {
  auto ping = StartReady();
  auto signer = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys_.seed));
  const auto now = std::chrono::system_clock::now();
  const std::string token =
      signer.Sign({"user-7", {auth::Role::kCustomer}, "j", "microstore-identity", now, now + std::chrono::minutes(1)});
  EXPECT_EQ(HttpRequest(port_, "GET", "/me").status, 401);
  const auto me = HttpRequest(port_, "GET", "/me", "", "Authorization: Bearer " + token + "\r\n");
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(nlohmann::json::parse(me.body)["subject"], "user-7");
}

TEST_F(PingProcess, TokenRoutesWithoutKeysAreAConfigurationError) {
  auto ping = StartPing({{"MICROSTORE_JWT_PUBLIC_KEYS", ""}});
  EXPECT_EQ(ping->Wait(10s), 2);
  EXPECT_NE(ping->Output().find("MICROSTORE_JWT_PUBLIC_KEYS"), std::string::npos) << ping->Output();
}

TEST(PingProcessOwnServer, ReadinessFollowsTheDatabaseThroughARestart) {
  testing::PrivatePostgres server;
  testing::ExecSync(server.Url(), "CREATE DATABASE ping");
  const auto keys = auth::GenerateKeyPair("k1");
  const unsigned short port = testing::FreePort();
  ChildProcess ping(MICROSTORE_PING_BINARY, {},
                    {{"MICROSTORE_HTTP_PORT", std::to_string(port)},
                     {"MICROSTORE_DB_URL", server.Url("ping")},
                     {"MICROSTORE_DB_CONNECT_TIMEOUT", "1s"},
                     {"MICROSTORE_JWT_PUBLIC_KEYS", "k1:" + keys.public_key}});
  ASSERT_TRUE(testing::WaitForHttpStatus(port, "/health/ready", 200, 30s)) << ping.Output();
  EXPECT_EQ(HttpRequest(port, "POST", "/visits/dave").status, 200);

  server.Stop();
  EXPECT_TRUE(testing::WaitForHttpStatus(port, "/health/ready", 503, 30s)) << ping.Output();
  const auto refused = HttpRequest(port, "POST", "/visits/dave");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(HttpRequest(port, "GET", "/health/live").status, 200);  // alive, only not ready

  server.Start();
  ASSERT_TRUE(testing::WaitForHttpStatus(port, "/health/ready", 200, 30s)) << ping.Output();
  const auto after = HttpRequest(port, "POST", "/visits/dave");
  EXPECT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(nlohmann::json::parse(after.body)["visits"], 2);
}

}  // namespace
}  // namespace microstore
