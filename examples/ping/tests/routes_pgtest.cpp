// The ping service's routes over real HTTP against a fresh migrated database
// (testing::ServiceHarness): the app and infra layers end to end, without the process.
#include <gtest/gtest.h>

#include "ping/api/routes.hpp"
#include "ping/infra/migrations.hpp"
#include "platform/testing/service_harness.hpp"

namespace microstore::ping {
namespace {

class PingRoutes : public ::testing::Test {
 protected:
  microstore::testing::ServiceHarness service_{Migrations(),
                                               [](http::Router& router, pg::Pool& db) { api::RegisterRoutes(router, db); }};
};

TEST_F(PingRoutes, CountsVisitsPerName) {
  EXPECT_EQ(service_.Send("POST", "/visits/alice").body["visits"], 1);
  EXPECT_EQ(service_.Send("POST", "/visits/alice").body["visits"], 2);
  EXPECT_EQ(service_.Send("POST", "/visits/bob").body["visits"], 1);
  const auto reply = service_.Get("/visits/alice");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, nlohmann::json({{"name", "alice"}, {"visits", 2}}));
}

TEST_F(PingRoutes, AnUnvisitedNameIsNotFound) {
  const auto reply = service_.Get("/visits/nobody");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.body["type"].get<std::string>().ends_with("not-found"), true) << reply.text;
}

TEST_F(PingRoutes, ANameLongerThanSixtyFourBytesIsRefusedAndNotStored) {
  const std::string name(65, 'x');
  EXPECT_EQ(service_.Send("POST", "/visits/" + name).status, 422);
  EXPECT_EQ(service_.Get("/visits/" + name).status, 422);
  EXPECT_EQ(service_.Sql("SELECT count(*) FROM visits"), "0");
}

TEST_F(PingRoutes, ADelayOutsideZeroToFiveSecondsIsRefused) {
  EXPECT_EQ(service_.Get("/ping?delay_ms=0").status, 200);
  EXPECT_EQ(service_.Get("/ping?delay_ms=5001").status, 400);
  EXPECT_EQ(service_.Get("/ping?delay_ms=soon").status, 400);
}

TEST_F(PingRoutes, MeNeedsAToken) {
  EXPECT_EQ(service_.Get("/me").status, 401);
  const auto reply = service_.Get("/me", {service_.Bearer({})});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["subject"], "user-1");
}

}  // namespace
}  // namespace microstore::ping
