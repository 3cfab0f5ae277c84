// The authorization matrix: every public route × every kind of caller, with the status each must
// get, generated from the services' own route tables (routes.hpp) so that a new route is checked
// the day it is added. Callers: no token, an expired token, a tampered token, and a real user
// holding exactly one role, for each role. Path ids are ids nobody has, so allowed callers get a
// 404 or 422 and nothing changes; no call may ever answer 5xx.
#include <gtest/gtest.h>

#include "platform/core/ids.hpp"
#include "routes.hpp"
#include "system.hpp"

namespace microstore::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Routes whose handler also checks ownership: a caller without ADMIN may only name themselves.
bool OwnerScoped(const PublicRoute& route) {
  return route.method == http::Method::kGet && route.path == "/api/v1/identity/users/{id}";
}

// Routes that authenticate by credentials of their own (HTTP Basic), not by the bearer token: a
// call without those credentials is refused whoever makes it.
bool CredentialsOnly(const PublicRoute& route) {
  return route.method == http::Method::kGet && route.path == "/api/v1/identity/token";
}

// The path with every parameter filled: roles with a real role, every id with `id`.
std::string Fill(std::string path, const std::string& id) {
  for (auto open = path.find('{'); open != std::string::npos; open = path.find('{')) {
    const auto close = path.find('}', open);
    if (close == std::string::npos) break;
    const std::string parameter = path.substr(open + 1, close - open - 1);
    const bool is_id = parameter == "id" || parameter.ends_with("_id");
    EXPECT_TRUE(is_id || parameter == "role") << "a path parameter the matrix does not know: " << path;
    path.replace(open, close - open + 1, parameter == "role" ? "OPERATOR" : id);
  }
  return path;
}

class AuthorizationMatrix : public ::testing::Test {
 protected:
  // A user holding exactly `role`, signed in afresh (a logout route may revoke the last token).
  struct RoleUser {
    System::Customer account;
    auth::Role role;
  };

  static void SetUpTestSuite() {
    System& system = System::Shared();
    const auto admin = system.SignInAdmin();
    for (const auth::Role role : auth::kAllRoles) {
      RoleUser user{system.RegisterCustomer("matrix"), role};
      const std::string roles = "/api/v1/identity/users/" + user.account.id + "/roles/";
      ASSERT_EQ(system.Send({.method = "PUT", .path = roles + std::string(auth::ToString(role)), .token = admin.access}).status,
                200);
      if (role != auth::Role::kCustomer) {
        ASSERT_EQ(system.Send({.method = "DELETE", .path = roles + "CUSTOMER", .token = admin.access}).status, 200);
      }
      users_->push_back(user);
    }
  }

  Reply Send(const PublicRoute& route, const std::string& path, const std::string& token) {
    e2e::Call call{.method = std::string(http::ToString(route.method)), .path = path, .token = token};
    if (route.method == http::Method::kPost || route.method == http::Method::kPut || route.method == http::Method::kPatch) {
      call.body = json::object();
    }
    return system_.Send(call);
  }

  static inline std::vector<RoleUser> storage_;
  static inline std::vector<RoleUser>* users_ = &storage_;
  System& system_ = System::Shared();
};

TEST_F(AuthorizationMatrix, EveryRouteAnswersEveryCallerAsItsAccessSays) {
  const auto routes = PublicRoutes();
  ASSERT_GT(routes.size(), 10u);
  ASSERT_EQ(users_->size(), auth::kAllRoles.size());
  const std::string expired = system_.SignToken(users_->front().account.id, {"ADMIN"}, std::chrono::system_clock::now() - 5min);
  std::string tampered = system_.SignToken(users_->front().account.id, {"CUSTOMER"}, std::chrono::system_clock::now() + 5min);
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  int checked = 0;

  for (const auto& route : routes) {
    const std::string name = std::string(http::ToString(route.method)) + " " + route.path;
    const std::string path = Fill(route.path, core::NewUuid());

    const Reply anonymous = Send(route, path, "");
    EXPECT_LT(anonymous.status, 500) << name << " without a token: " << anonymous.Describe();
    if (CredentialsOnly(route)) {
      EXPECT_EQ(anonymous.status, 401) << name << ": " << anonymous.Describe();
    } else if (route.access.IsPublic()) {
      EXPECT_TRUE(anonymous.status != 401 && anonymous.status != 403) << name << ": " << anonymous.Describe();
    } else {
      EXPECT_EQ(anonymous.status, 401) << name << " without a token: " << anonymous.Describe();
    }
    // A bad token is refused at the door whatever the route: a client must learn its token is bad.
    EXPECT_EQ(Send(route, path, expired).status, 401) << name << " with an expired token";
    EXPECT_EQ(Send(route, path, tampered).status, 401) << name << " with a tampered token";

    for (const auto& user : *users_) {
      const auto tokens = system_.SignIn(user.account.email, user.account.password);
      const std::string who = name + " as " + std::string(auth::ToString(user.role));
      const Reply reply = Send(route, path, tokens.access);
      EXPECT_LT(reply.status, 500) << who << ": " << reply.Describe();
      auth::Principal principal{user.account.id, auth::RoleSet{user.role}, "", {}};
      const bool role_allows = route.access.Allows(principal);
      const bool owner_refuses = OwnerScoped(route) && user.role != auth::Role::kAdmin;
      if (CredentialsOnly(route)) {
        EXPECT_EQ(reply.status, 401) << who << ": " << reply.Describe();
      } else if (role_allows && !owner_refuses) {
        EXPECT_TRUE(reply.status != 401 && reply.status != 403) << who << ": " << reply.Describe();
      } else {
        EXPECT_EQ(reply.status, 403) << who << ": " << reply.Describe();
      }
      if (OwnerScoped(route)) {  // the same route naming the caller themselves is allowed
        const Reply own = Send(route, Fill(route.path, user.account.id), tokens.access);
        EXPECT_EQ(own.status, 200) << who << " for their own id: " << own.Describe();
      }
      ++checked;
    }
  }
  std::cout << "checked " << routes.size() << " routes × " << users_->size() + 3 << " callers (" << checked
            << " role checks)\n";
}

}  // namespace
}  // namespace microstore::e2e
