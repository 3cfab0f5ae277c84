// Identity's HTTP API served in-process (real server, real PostgreSQL): status codes, problem
// codes, headers and the access rule of every route.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "identity/api/routes.hpp"
#include "identity/app/admin_bootstrap.hpp"
#include "identity/app/authority.hpp"
#include "identity/infra/schema.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/auth/keys.hpp"
#include "platform/core/encoding.hpp"
#include "platform/http/server.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"
#include "platform/testing/process.hpp"
#include "platform/testing/service_harness.hpp"
#include "platform/testing/testing.hpp"

namespace microstore::identity {
namespace {

namespace asio = boost::asio;
namespace mt = microstore::testing;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kIssuer = "identity-http-test";
constexpr const char* kAdminEmail = "root@example.com";
constexpr const char* kAdminPassword = "root-password-1";

std::string BasicHeader(const std::string& email, const std::string& password) {
  std::string encoded = core::Base64UrlEncode(email + ":" + password);
  for (char& c : encoded) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (encoded.size() % 4 != 0) encoded += '=';
  return "Authorization: Basic " + encoded + "\r\n";
}

std::string Bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

class HttpTest : public ::testing::Test {
 protected:
  HttpTest()
      : keys_(auth::GenerateKeyPair("k1")),
        verifier_(std::get<auth::Verifier>(auth::Verifier::FromConfig("k1:" + keys_.public_key, kIssuer))),
        pool_(io_.get_executor(), {.conninfo = db_.url(), .max_size = 4}) {
    TokenPolicy tokens;
    tokens.issuer = kIssuer;
    authority_ = std::make_unique<Authority>(
        workers_.get_executor(), std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys_.seed)),
        MinimumPasswordCost(), tokens);
    mt::MigrateSync(db_.url(), Migrations());
    mt::Run(io_, EnsureAdmin(pool_, outbox_, *authority_, kAdminEmail, kAdminPassword));
    api::RegisterRoutes(router_, pool_, outbox_, *authority_, &verifier_);
    server_ = std::make_unique<http::Server>(io_.get_executor(), http::ServerOptions{}, router_, &verifier_,
                                             registry_);
    port_ = server_->Start();
    io_.restart();
    work_.emplace(asio::make_work_guard(io_));
    thread_ = std::thread([this] { io_.run(); });
  }

  ~HttpTest() override {
    asio::post(io_, [this] { server_->Shutdown([this] { work_.reset(); }); });
    thread_.join();
  }

  mt::SimpleResponse Call(const std::string& method, const std::string& target, const std::string& body = "",
                          const std::string& headers = "") {
    return mt::HttpRequest(port_, method, target, body, headers);
  }

  static json Body(const mt::SimpleResponse& response) { return json::parse(response.body); }

  json Register(const std::string& email, const std::string& password = "tulips-and-7-roses") {
    const auto response = Call(
        "POST", "/api/v1/register",
        json({{"email", email}, {"password", password}, {"first_name", "Anna"}, {"last_name", "Petrova"}})
            .dump());
    EXPECT_EQ(response.status, 201) << response.body;
    return Body(response);
  }

  json Tokens(const std::string& email, const std::string& password = "tulips-and-7-roses") {
    const auto response =
        Call("POST", "/api/v1/token", json({{"email", email}, {"password", password}}).dump());
    EXPECT_EQ(response.status, 200) << response.body;
    return Body(response);
  }

  std::string AccessToken(const std::string& email, const std::string& password = "tulips-and-7-roses") {
    return Tokens(email, password).at("access_token").get<std::string>();
  }

  std::string AdminToken() { return AccessToken(kAdminEmail, kAdminPassword); }

  static void ExpectProblem(const mt::SimpleResponse& response, int status, const std::string& code) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.Header("Content-Type"), "application/problem+json") << response.body;
    if (response.body.empty()) return;
    EXPECT_EQ(Body(response).value("type", ""), "/problems/" + code) << response.body;
  }

  mt::TempDatabase db_;
  asio::thread_pool workers_{2};
  asio::io_context io_;
  // Keeps the loop running between requests; set once the set-up's own Run is over.
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  auth::GeneratedKeyPair keys_;
  auth::Verifier verifier_;
  pg::Pool pool_;
  const messaging::Outbox outbox_{"identity", "identity-http-test"};
  std::unique_ptr<Authority> authority_;
  http::Router router_;
  metrics::Registry registry_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

TEST_F(HttpTest, EveryRouteDeclaresItsAccess) {
  const auth::Access anyone = auth::Access::Authenticated();
  const auth::Access admin = auth::Access::AnyOf({auth::Role::kAdmin});
  const auth::Access open = auth::Access::Public();
  const std::vector<std::tuple<http::Method, std::string, auth::Access>> expected = {
      {http::Method::kPost, "/api/v1/register", open},
      {http::Method::kGet, "/api/v1/token", open},
      {http::Method::kPost, "/api/v1/token", open},
      {http::Method::kPost, "/api/v1/token/refresh", open},
      {http::Method::kGet, "/api/v1/token/check", anyone},
      {http::Method::kPost, "/api/v1/logout", anyone},
      {http::Method::kGet, "/api/v1/users/me", anyone},
      {http::Method::kPatch, "/api/v1/users/me", anyone},
      {http::Method::kGet, "/api/v1/users", admin},
      {http::Method::kGet, "/api/v1/users/{id}", anyone},
      {http::Method::kPut, "/api/v1/users/{id}/roles/{role}", admin},
      {http::Method::kDelete, "/api/v1/users/{id}/roles/{role}", admin},
      {http::Method::kPost, "/api/v1/users/{id}/disable", admin},
      {http::Method::kPost, "/api/v1/users/{id}/enable", admin},
      {http::Method::kGet, "/api/v1/jwks", open},
  };
  ASSERT_EQ(router_.routes().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& route = *router_.routes()[i];
    EXPECT_EQ(route.method, std::get<0>(expected[i])) << route.pattern;
    EXPECT_EQ(route.pattern, std::get<1>(expected[i]));
    EXPECT_EQ(route.access, std::get<2>(expected[i])) << route.pattern;
  }
}

TEST_F(HttpTest, RegisterAnswers201WithLocationAndNoHash) {
  const auto response =
      Call("POST", "/api/v1/register",
           R"({"email":" Anna@Example.com","password":"tulips-and-7-roses","first_name":"Anna",
                                 "last_name":"Petrova","phone":"+7 999 123-45-67","channels":["SMS","EMAIL"]})");
  ASSERT_EQ(response.status, 201) << response.body;
  const json user = Body(response);
  EXPECT_EQ(response.Header("Location"), "/api/v1/identity/users/" + user.at("id").get<std::string>());
  EXPECT_EQ(user.at("email"), "anna@example.com");
  EXPECT_EQ(user.at("phone"), "+79991234567");
  EXPECT_EQ(user.at("channels"), json({"EMAIL", "SMS"}));
  EXPECT_EQ(user.at("roles"), json({"CUSTOMER"}));
  EXPECT_EQ(user.at("disabled"), false);
  EXPECT_EQ(user.at("version"), 1);
  EXPECT_FALSE(user.contains("password"));
  EXPECT_FALSE(user.contains("password_hash"));
  EXPECT_EQ(response.body.find("argon2"), std::string::npos);

  ExpectProblem(
      Call("POST", "/api/v1/register",
           R"({"email":"anna@example.com","password":"other-password-9","first_name":"B","last_name":"C"})"),
      409, "email-taken");
}

TEST_F(HttpTest, RegisterNamesEveryBadFieldAndStoresNothing) {
  const auto response = Call("POST", "/api/v1/register",
                             R"({"email":"nope","password":"short","last_name":7,"channels":["FAX"]})");
  ExpectProblem(response, 422, "validation-failed");
  const json errors = Body(response).at("errors");
  std::multiset<std::string> fields;
  for (const auto& error : errors) fields.insert(error.at("field").get<std::string>());
  EXPECT_EQ(fields, (std::multiset<std::string>{"email", "password", "password", "first_name", "last_name",
                                                "channels[0]"}))
      << errors.dump();
  EXPECT_EQ(mt::QueryValueSync(db_.url(), "SELECT count(*) FROM users"), "1");  // the admin only

  ExpectProblem(Call("POST", "/api/v1/register", "[1,2]"), 400, "invalid-body");
  ExpectProblem(Call("POST", "/api/v1/register", "{not json"), 400, "malformed-json");
}

TEST_F(HttpTest, SignInWithBasicOrJson) {
  Register("anna@example.com");
  const auto basic = Call("GET", "/api/v1/token", "", BasicHeader("anna@example.com", "tulips-and-7-roses"));
  ASSERT_EQ(basic.status, 200) << basic.body;
  EXPECT_EQ(basic.Header("Cache-Control"), "no-store");
  const json pair = Body(basic);
  EXPECT_EQ(pair.at("token_type"), "Bearer");
  EXPECT_EQ(pair.at("expires_in"), 900);
  EXPECT_EQ(pair.at("refresh_expires_in"), 30 * 24 * 3600);
  EXPECT_EQ(pair.at("refresh_token").get<std::string>().size(), 43u);
  EXPECT_TRUE(std::holds_alternative<auth::Principal>(
      verifier_.Verify(pair.at("access_token").get<std::string>(), std::chrono::system_clock::now())));

  const auto wrong = Call("GET", "/api/v1/token", "", BasicHeader("anna@example.com", "wrong-password-1"));
  ExpectProblem(wrong, 401, "invalid-credentials");
  EXPECT_EQ(wrong.Header("WWW-Authenticate").rfind("Basic", 0), 0u);
  ExpectProblem(Call("GET", "/api/v1/token", "", BasicHeader("nobody@example.com", "tulips-and-7-roses")),
                401, "invalid-credentials");
  ExpectProblem(Call("GET", "/api/v1/token"), 401, "invalid-credentials");
  ExpectProblem(Call("GET", "/api/v1/token", "", "Authorization: Basic %%%\r\n"), 401, "invalid-credentials");

  EXPECT_EQ(
      Call("POST", "/api/v1/token", R"({"email":"anna@example.com","password":"tulips-and-7-roses"})").status,
      200);
  ExpectProblem(Call("POST", "/api/v1/token", R"({"email":"anna@example.com","password":"nope-nope-1"})"),
                401, "invalid-credentials");
  ExpectProblem(Call("POST", "/api/v1/token", R"({"email":"anna@example.com"})"), 422, "validation-failed");
}

TEST_F(HttpTest, RefreshRotatesAndReuseKillsTheFamily) {
  Register("anna@example.com");
  const json first = Tokens("anna@example.com");
  const auto rotated =
      Call("POST", "/api/v1/token/refresh", json({{"refresh_token", first.at("refresh_token")}}).dump());
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  EXPECT_EQ(rotated.Header("Cache-Control"), "no-store");
  const json second = Body(rotated);

  ExpectProblem(
      Call("POST", "/api/v1/token/refresh", json({{"refresh_token", first.at("refresh_token")}}).dump()), 401,
      "refresh-token-reused");
  ExpectProblem(
      Call("POST", "/api/v1/token/refresh", json({{"refresh_token", second.at("refresh_token")}}).dump()),
      401, "invalid-refresh-token");
  ExpectProblem(Call("GET", "/api/v1/token/check", "", Bearer(second.at("access_token"))), 401,
                "token-revoked");
  ExpectProblem(Call("POST", "/api/v1/token/refresh", R"({"refresh_token":"garbage"})"), 401,
                "invalid-refresh-token");
  ExpectProblem(Call("POST", "/api/v1/token/refresh", R"({})"), 422, "validation-failed");
}

TEST_F(HttpTest, CheckTokenAndLogout) {
  const json user = Register("anna@example.com");
  const std::string token = AccessToken("anna@example.com");
  const auto check = Call("GET", "/api/v1/token/check", "", Bearer(token));
  ASSERT_EQ(check.status, 200) << check.body;
  const json body = Body(check);
  EXPECT_EQ(body.at("active"), true);
  EXPECT_EQ(body.at("subject"), user.at("id"));
  EXPECT_EQ(body.at("roles"), json({"CUSTOMER"}));
  EXPECT_TRUE(body.at("expires_at").get<std::string>().ends_with("Z"));

  ExpectProblem(Call("GET", "/api/v1/token/check"), 401, "missing-token");
  const auto logout = Call("POST", "/api/v1/logout", "", Bearer(token));
  EXPECT_EQ(logout.status, 204) << logout.body;
  const auto after = Call("GET", "/api/v1/token/check", "", Bearer(token));
  ExpectProblem(after, 401, "token-revoked");
  EXPECT_EQ(after.Header("WWW-Authenticate").rfind("Bearer", 0), 0u);
  ExpectProblem(Call("POST", "/api/v1/logout", "", Bearer(token)), 401, "token-revoked");
}

TEST_F(HttpTest, ProfileReadAndPatch) {
  Register("anna@example.com");
  const std::string token = AccessToken("anna@example.com");
  const auto me = Call("GET", "/api/v1/users/me", "", Bearer(token));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Body(me).at("email"), "anna@example.com");

  const auto patched =
      Call("PATCH", "/api/v1/users/me", R"({"first_name":"Anya","phone":"+79991234567"})", Bearer(token));
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Body(patched).at("first_name"), "Anya");
  EXPECT_EQ(Body(patched).at("version"), 2);

  const auto refused = Call("PATCH", "/api/v1/users/me",
                            R"({"email":"x@y.zz","phone":null,"channels":["SMS"]})", Bearer(token));
  ExpectProblem(refused, 422, "validation-failed");
  EXPECT_EQ(Body(refused).at("errors"), json::parse(R"([{"field":"email","message":"cannot be changed here"},
                            {"field":"channels","message":"SMS needs a phone number"}])"));
  EXPECT_EQ(Body(Call("GET", "/api/v1/users/me", "", Bearer(token))).at("version"), 2);
}

TEST_F(HttpTest, UserListingAndReadingFollowRoles) {
  const json anna = Register("anna@example.com");
  const json boris = Register("boris@example.com");
  const std::string as_anna = AccessToken("anna@example.com");
  const std::string as_admin = AdminToken();

  ExpectProblem(Call("GET", "/api/v1/users", "", Bearer(as_anna)), 403, "forbidden");
  const auto page = Call("GET", "/api/v1/users?limit=2", "", Bearer(as_admin));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(Body(page).at("items").size(), 2u);
  const std::string cursor = Body(page).at("next_cursor");
  const auto rest = Call("GET", "/api/v1/users?limit=2&cursor=" + cursor, "", Bearer(as_admin));
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(Body(rest).at("items").size(), 1u);
  EXPECT_FALSE(Body(rest).contains("next_cursor"));
  const auto by_email = Call("GET", "/api/v1/users?email=BORIS%40example.com", "", Bearer(as_admin));
  ASSERT_EQ(by_email.status, 200) << by_email.body;
  EXPECT_EQ(Body(by_email).at("items").at(0).at("id"), boris.at("id"));
  ExpectProblem(Call("GET", "/api/v1/users?limit=0", "", Bearer(as_admin)), 422, "validation-failed");
  ExpectProblem(Call("GET", "/api/v1/users?cursor=forged", "", Bearer(as_admin)), 422, "validation-failed");

  const std::string anna_path = "/api/v1/users/" + anna.at("id").get<std::string>();
  const std::string boris_path = "/api/v1/users/" + boris.at("id").get<std::string>();
  EXPECT_EQ(Call("GET", anna_path, "", Bearer(as_anna)).status, 200);
  ExpectProblem(Call("GET", boris_path, "", Bearer(as_anna)), 403, "forbidden");
  EXPECT_EQ(Call("GET", boris_path, "", Bearer(as_admin)).status, 200);
  ExpectProblem(Call("GET", "/api/v1/users/3f2504e0-4f89-41d3-9a0c-0305e82c3301", "", Bearer(as_admin)), 404,
                "not-found");
  ExpectProblem(Call("GET", "/api/v1/users/junk", "", Bearer(as_admin)), 404, "not-found");
}

TEST_F(HttpTest, RolesAndDisablingAreForAdmins) {
  const json anna = Register("anna@example.com");
  const std::string anna_path = "/api/v1/users/" + anna.at("id").get<std::string>();
  const std::string as_anna = AccessToken("anna@example.com");
  const std::string as_admin = AdminToken();
  const std::string admin_id = Body(Call("GET", "/api/v1/users/me", "", Bearer(as_admin))).at("id");

  ExpectProblem(Call("PUT", anna_path + "/roles/ADMIN", "", Bearer(as_anna)), 403, "forbidden");
  ExpectProblem(Call("PUT", anna_path + "/roles/WIZARD", "", Bearer(as_admin)), 422, "validation-failed");
  const auto granted = Call("PUT", anna_path + "/roles/OPERATOR", "", Bearer(as_admin));
  ASSERT_EQ(granted.status, 200) << granted.body;
  EXPECT_EQ(Body(granted).at("roles"), json({"CUSTOMER", "OPERATOR"}));
  const auto removed = Call("DELETE", anna_path + "/roles/OPERATOR", "", Bearer(as_admin));
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(Body(removed).at("roles"), json({"CUSTOMER"}));
  ExpectProblem(Call("DELETE", "/api/v1/users/" + admin_id + "/roles/ADMIN", "", Bearer(as_admin)), 409,
                "cannot-demote-self");
  ExpectProblem(
      Call("PUT", "/api/v1/users/3f2504e0-4f89-41d3-9a0c-0305e82c3301/roles/OPERATOR", "", Bearer(as_admin)),
      404, "not-found");

  ExpectProblem(Call("POST", "/api/v1/users/" + admin_id + "/disable", "", Bearer(as_admin)), 409,
                "cannot-disable-self");
  const auto disabled = Call("POST", anna_path + "/disable", "", Bearer(as_admin));
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(Body(disabled).at("disabled"), true);
  ExpectProblem(Call("GET", "/api/v1/users/me", "", Bearer(as_anna)), 401, "token-revoked");
  ExpectProblem(
      Call("POST", "/api/v1/token", R"({"email":"anna@example.com","password":"tulips-and-7-roses"})"), 403,
      "account-disabled");
  const auto enabled = Call("POST", anna_path + "/enable", "", Bearer(as_admin));
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_EQ(Body(enabled).at("disabled"), false);
  EXPECT_EQ(Call("GET", "/api/v1/users/me", "", Bearer(AccessToken("anna@example.com"))).status, 200);
}

TEST_F(HttpTest, JwksListsTheTrustedKeys) {
  const auto response = Call("GET", "/api/v1/jwks");
  ASSERT_EQ(response.status, 200);
  const json keys = Body(response).at("keys");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].at("kid"), "k1");
  EXPECT_EQ(keys[0].at("x"), keys_.public_key);
  EXPECT_FALSE(keys[0].contains("d"));
}

}  // namespace
}  // namespace microstore::identity
