// The first user-visible slice, end to end through the gateway: register, sign in, browse,
// search, staff actions, dead letters, logout and token revocation, refresh-token reuse,
// disabled users.
#include <gtest/gtest.h>

#include "platform/amqp/consumer.hpp"
#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"
#include "system.hpp"

namespace microstore::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::Eventually;

json NewProduct(const std::string& name, const std::string& description, std::int64_t price, bool promotion = false) {
  return {{"sku", "SKU-" + Unique()}, {"name", name},  {"description", description}, {"price_minor", price},
          {"currency", "RUB"},        {"tags", {"e2e"}}, {"on_promotion", promotion}};
}

std::vector<std::string> Names(const Reply& list) {
  std::vector<std::string> names;
  for (const auto& item : list.body.at("items")) names.push_back(item.at("name").get<std::string>());
  return names;
}

class Journey : public ::testing::Test {
 protected:
  System& system_ = System::Shared();
};

TEST_F(Journey, RegisterSignInBrowseSearchAndStaffActions) {
  const auto admin = system_.SignInAdmin();
  // A word no other test uses, so the search sees exactly these products.
  const std::string word = "zq" + Unique().substr(0, 6);
  const auto in_name = system_.Post("/api/v1/catalog/products",
                                    NewProduct("Oak " + word + " chair", "A sturdy dining chair.", 12990), admin.access);
  ASSERT_EQ(in_name.status, 201) << in_name.Describe();
  EXPECT_EQ(in_name.Header("Location"), "/api/v1/catalog/products/" + in_name.body.at("id").get<std::string>());
  const auto in_description = system_.Post(
      "/api/v1/catalog/products",
      NewProduct("Garden bench", "Pairs well with the " + word + " chair collection.", 45000, true), admin.access);
  ASSERT_EQ(in_description.status, 201) << in_description.Describe();

  // A shopper registers with a Basic sign-in (the seed's GET /token) and browses.
  const auto customer = system_.RegisterCustomer();
  const Reply again = system_.Post("/api/v1/identity/register", {{"email", customer.email},
                                                                  {"password", "Another-secret-1"},
                                                                  {"first_name", "A"},
                                                                  {"last_name", "B"}});
  EXPECT_EQ(again.status, 409) << again.Describe();
  const Reply basic = system_.Send(
      {.path = "/api/v1/identity/token",
       .headers = {{"Authorization", "Basic " + core::Base64Encode(customer.email + ":" + customer.password)}}});
  ASSERT_EQ(basic.status, 200) << basic.Describe();
  const std::string token = basic.body.at("access_token").get<std::string>();
  EXPECT_EQ(basic.body.at("token_type"), "Bearer");

  const Reply me = system_.Get("/api/v1/identity/users/me", token);
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.body.at("email"), customer.email);
  EXPECT_EQ(me.body.at("roles"), json::array({"CUSTOMER"}));
  EXPECT_FALSE(me.body.contains("password_hash"));

  const Reply page = system_.Get("/api/v1/catalog/products?limit=1");
  ASSERT_EQ(page.status, 200) << page.Describe();
  EXPECT_EQ(page.body.at("items").size(), 1u);
  const Reply one = system_.Get("/api/v1/catalog/products/" + in_name.body.at("id").get<std::string>());
  ASSERT_EQ(one.status, 200) << one.Describe();
  EXPECT_EQ(one.body.at("price_minor"), 12990);

  // Relevance: the word in the name ranks above the word in the description; prefixes match.
  const Reply found = system_.Get("/api/v1/catalog/products?q=" + word);
  ASSERT_EQ(found.status, 200) << found.Describe();
  EXPECT_EQ(Names(found), (std::vector<std::string>{"Oak " + word + " chair", "Garden bench"}));
  const Reply prefix = system_.Get("/api/v1/catalog/products?q=" + word.substr(0, 6) + "%20chai");
  ASSERT_EQ(prefix.status, 200) << prefix.Describe();
  EXPECT_EQ(Names(prefix).size(), 2u);
  const Reply promoted = system_.Get("/api/v1/catalog/products?q=" + word + "&on_promotion=true");
  EXPECT_EQ(Names(promoted), (std::vector<std::string>{"Garden bench"}));

  // A customer cannot do what an administrator does.
  const Reply refused = system_.Post("/api/v1/catalog/products", NewProduct("Nope", "", 1), token);
  EXPECT_EQ(refused.status, 403) << refused.Describe();
  EXPECT_EQ(refused.Header("Content-Type"), "application/problem+json");
}

TEST_F(Journey, OperatorsSeeAndReplayDeadLettersThroughTheGateway) {
  const auto customer = system_.RegisterCustomer("operator");
  const auto admin = system_.SignInAdmin();
  const Reply granted = system_.Send({.method = "PUT",
                                      .path = "/api/v1/identity/users/" + customer.id + "/roles/OPERATOR",
                                      .token = admin.access});
  ASSERT_EQ(granted.status, 200) << granted.Describe();
  const auto operator_tokens = system_.SignIn(customer.email, customer.password);
  const auto shopper = system_.RegisterCustomer();
  const auto shopper_tokens = system_.SignIn(shopper.email, shopper.password);

  // Something payment can never handle, parked as its consumer would have parked it.
  const std::string id = core::NewUuid();
  amqp::QueueAdmin(system_.amqp_url())
      .Publish({.exchange = "",
                .routing_key = amqp::DeadLetterQueueOf("payment"),
                .message_id = id,
                .type = "OrderCreated",
                .correlation_id = "",
                .body = "not an envelope",
                .headers = {}});
  const std::string dead_letters = "/api/v1/payment/admin/dead-letters";
  const Reply listed = system_.Get(dead_letters + "?limit=500", operator_tokens.access);
  ASSERT_EQ(listed.status, 200) << listed.Describe();
  EXPECT_EQ(listed.body.at("queue"), "microstore.payment.dead");
  const auto parked = [&](const Reply& listing) {
    for (const auto& item : listing.body.at("items")) {
      if (item.at("id") == id) return item;
    }
    return json();
  };
  EXPECT_FALSE(parked(listed).is_null()) << listed.Describe();

  const Reply replayed = system_.Send(
      {.method = "POST", .path = dead_letters + "/" + id + "/replay", .token = operator_tokens.access});
  ASSERT_EQ(replayed.status, 200) << replayed.Describe();
  EXPECT_EQ(replayed.body.at("replayed"), 1) << replayed.Describe();
  // Still unparseable: back at once, once, with its attempt counted.
  EXPECT_TRUE(Eventually([&] {
    const json item = parked(system_.Get(dead_letters + "?limit=500", operator_tokens.access));
    return !item.is_null() && item.at("attempts") == 1;
  }));

  EXPECT_EQ(system_.Get(dead_letters, shopper_tokens.access).status, 403);
  EXPECT_EQ(system_.Send({.method = "POST", .path = dead_letters + "/replay", .token = shopper_tokens.access})
                .status,
            403);
  // The gateway's own dead letters (identity's revocation events) answer at its own door.
  const Reply own = system_.Get("/api/v1/gateway/admin/dead-letters", operator_tokens.access);
  ASSERT_EQ(own.status, 200) << own.Describe();
  EXPECT_EQ(own.body.at("queue"), "microstore.gateway.dead");
  EXPECT_EQ(system_.Get("/api/v1/gateway/admin/dead-letters", shopper_tokens.access).status, 403);
}

TEST_F(Journey, LogoutRevokesTheAccessTokenEverywhere) {
  const auto customer = system_.RegisterCustomer("staff");
  const auto admin = system_.SignInAdmin();
  const Reply granted = system_.Send(
      {.method = "PUT", .path = "/api/v1/identity/users/" + customer.id + "/roles/ADMIN", .token = admin.access});
  ASSERT_EQ(granted.status, 200) << granted.Describe();
  const auto staff = system_.SignIn(customer.email, customer.password);
  ASSERT_EQ(system_.Post("/api/v1/catalog/products", NewProduct("Before logout", "", 100), staff.access).status, 201);

  const Reply logout = system_.Send({.method = "POST", .path = "/api/v1/identity/logout", .token = staff.access});
  ASSERT_EQ(logout.status, 204) << logout.Describe();
  // Identity knows at once; the gateway learns from TokenRevoked and then refuses the token in
  // front of catalog, which on its own would still accept the signature until it expires.
  EXPECT_EQ(system_.Get("/api/v1/identity/users/me", staff.access).status, 401);
  EXPECT_TRUE(Eventually([&] {
    return system_.Post("/api/v1/catalog/products", NewProduct("After logout", "", 100), staff.access).status == 401;
  }));
  const Reply refused = system_.Post("/api/v1/catalog/products", NewProduct("After logout", "", 100), staff.access);
  EXPECT_EQ(refused.status, 401) << refused.Describe();
  EXPECT_NE(refused.Header("WWW-Authenticate").find("Bearer"), std::string::npos);
  // The refresh token of that sign-in is gone too.
  EXPECT_EQ(system_.Post("/api/v1/identity/token/refresh", {{"refresh_token", staff.refresh}}).status, 401);
}

TEST_F(Journey, RefreshTokenReuseRevokesTheWholeFamily) {
  const auto customer = system_.RegisterCustomer();
  const auto first = system_.SignIn(customer.email, customer.password);
  const Reply rotated = system_.Post("/api/v1/identity/token/refresh", {{"refresh_token", first.refresh}});
  ASSERT_EQ(rotated.status, 200) << rotated.Describe();
  const std::string second_refresh = rotated.body.at("refresh_token").get<std::string>();
  const std::string second_access = rotated.body.at("access_token").get<std::string>();
  EXPECT_NE(second_refresh, first.refresh);
  EXPECT_EQ(system_.Get("/api/v1/identity/token/check", second_access).status, 200);

  // Someone replays the rotated token: the family is revoked, the legitimate holder included.
  const Reply reused = system_.Post("/api/v1/identity/token/refresh", {{"refresh_token", first.refresh}});
  EXPECT_EQ(reused.status, 401) << reused.Describe();
  EXPECT_EQ(system_.Post("/api/v1/identity/token/refresh", {{"refresh_token", second_refresh}}).status, 401);
  EXPECT_EQ(system_.Get("/api/v1/identity/token/check", second_access).status, 401);
  EXPECT_TRUE(Eventually([&] { return system_.Get("/api/v1/catalog/products?limit=1", second_access).status == 401; }));
  // Another sign-in starts a new family and works.
  const auto fresh = system_.SignIn(customer.email, customer.password);
  EXPECT_EQ(system_.Get("/api/v1/identity/token/check", fresh.access).status, 200);
}

TEST_F(Journey, DisabledUserCannotSignInAndTheirTokensStop) {
  const auto customer = system_.RegisterCustomer();
  const auto tokens = system_.SignIn(customer.email, customer.password);
  const auto admin = system_.SignInAdmin();
  const Reply disabled =
      system_.Send({.method = "POST", .path = "/api/v1/identity/users/" + customer.id + "/disable", .token = admin.access});
  ASSERT_EQ(disabled.status, 200) << disabled.Describe();
  EXPECT_EQ(disabled.body.at("disabled"), true);

  const Reply sign_in = system_.Post("/api/v1/identity/token", {{"email", customer.email}, {"password", customer.password}});
  EXPECT_EQ(sign_in.status, 403) << sign_in.Describe();
  EXPECT_EQ(system_.Post("/api/v1/identity/token/refresh", {{"refresh_token", tokens.refresh}}).status, 403);
  EXPECT_TRUE(Eventually([&] { return system_.Get("/api/v1/catalog/products?limit=1", tokens.access).status == 401; }));

  const Reply enabled =
      system_.Send({.method = "POST", .path = "/api/v1/identity/users/" + customer.id + "/enable", .token = admin.access});
  ASSERT_EQ(enabled.status, 200) << enabled.Describe();
  EXPECT_NO_THROW(system_.SignIn(customer.email, customer.password));
}

TEST_F(Journey, ExpiredAndTamperedTokensAreRefusedAtTheDoor) {
  const auto expired = system_.SignToken("someone", {"ADMIN"}, std::chrono::system_clock::now() - 10min);
  const Reply late = system_.Post("/api/v1/catalog/products", NewProduct("Expired", "", 1), expired);
  EXPECT_EQ(late.status, 401) << late.Describe();
  auto token = system_.SignInAdmin().access;
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(system_.Post("/api/v1/catalog/products", NewProduct("Tampered", "", 1), token).status, 401);
}

TEST_F(Journey, CorsLetsTheStorefrontReadAnswersAndErrors) {
  const Reply preflight = system_.Send({.method = "OPTIONS",
                                        .path = "/api/v1/catalog/products",
                                        .headers = {{"Origin", System::kStorefrontOrigin},
                                                    {"Access-Control-Request-Method", "POST"},
                                                    {"Access-Control-Request-Headers", "authorization, content-type"}}});
  EXPECT_EQ(preflight.status, 204) << preflight.Describe();
  EXPECT_EQ(preflight.Header("Access-Control-Allow-Origin"), System::kStorefrontOrigin);
  EXPECT_NE(preflight.Header("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  const Reply denied = system_.Send({.method = "POST",
                                     .path = "/api/v1/catalog/products",
                                     .body = NewProduct("x", "", 1),
                                     .token = "not-a-token",
                                     .headers = {{"Origin", System::kStorefrontOrigin}}});
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.Header("Access-Control-Allow-Origin"), System::kStorefrontOrigin);
  const Reply stranger = system_.Send({.path = "/api/v1/catalog/products?limit=1", .headers = {{"Origin", "http://evil.test"}}});
  EXPECT_EQ(stranger.Header("Access-Control-Allow-Origin"), "");
}

TEST_F(Journey, RequestAndCorrelationIdsComeBack) {
  const Reply reply = system_.Send({.path = "/api/v1/catalog/products?limit=1",
                                    .headers = {{"X-Correlation-Id", "journey-correlation-1"}}});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Header("X-Correlation-Id"), "journey-correlation-1");
  EXPECT_FALSE(reply.Header("X-Request-Id").empty());
}

TEST_F(Journey, RateLimitAnswers429WithRetryAfter) {
  const unsigned short port = system_.StartGateway({{"MICROSTORE_GATEWAY_RATE_LIMIT", "1"},
                                                    {"MICROSTORE_GATEWAY_RATE_BURST", "3"}});
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 10; ++i) {
    const auto response = testing::HttpRequest(port, "GET", "/api/v1/catalog/products?limit=1");
    if (response.status == 429) {
      ++limited;
      retry_after = response.Header("Retry-After");
    }
  }
  EXPECT_GE(limited, 6);
  EXPECT_GE(std::stoi(retry_after.empty() ? "0" : retry_after), 1);
}

}  // namespace
}  // namespace microstore::e2e
