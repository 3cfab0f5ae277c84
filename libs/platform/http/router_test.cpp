#include "platform/http/router.hpp"

#include <gtest/gtest.h>

namespace microstore::http {
namespace {

using Kind = Router::Match::Kind;

Handler Answer(int status) {
  return [status](Request&) -> boost::asio::awaitable<Response> { co_return Response::Empty(status); };
}

Router MakeRouter() {
  Router router;
  router.Get("/orders", auth::Access::Public(), Answer(200));
  router.Post("/orders", auth::Access::Public(), Answer(202));
  router.Get("/orders/mine", auth::Access::Public(), Answer(201));
  router.Get("/orders/{id}", auth::Access::Public(), Answer(203));
  router.Post("/orders/{id}/cancel", auth::Access::Public(), Answer(204));
  router.Get("/users/{user}/orders/{id}", auth::Access::Public(), Answer(205));
  router.Get("/", auth::Access::Public(), Answer(206));
  return router;
}

TEST(Router, MatchesLiteralRoutesByMethod) {
  Router router = MakeRouter();
  auto get = router.Find(Method::kGet, "/orders");
  ASSERT_EQ(get.kind, Kind::kFound);
  EXPECT_EQ(get.route->method, Method::kGet);
  auto post = router.Find(Method::kPost, "/orders");
  ASSERT_EQ(post.kind, Kind::kFound);
  EXPECT_EQ(post.route->method, Method::kPost);
  EXPECT_EQ(router.Find(Method::kGet, "/").kind, Kind::kFound);
}

TEST(Router, BindsPathParameters) {
  Router router = MakeRouter();
  auto match = router.Find(Method::kGet, "/users/u-1/orders/42");
  ASSERT_EQ(match.kind, Kind::kFound);
  EXPECT_EQ(match.route->pattern, "/users/{user}/orders/{id}");
  ASSERT_EQ(match.params.size(), 2u);
  EXPECT_EQ(match.params[0], (std::pair<std::string, std::string>{"user", "u-1"}));
  EXPECT_EQ(match.params[1], (std::pair<std::string, std::string>{"id", "42"}));
}

TEST(Router, PercentDecodesParameters) {
  Router router = MakeRouter();
  auto match = router.Find(Method::kGet, "/orders/a%20b%2Fc");
  ASSERT_EQ(match.kind, Kind::kFound);
  EXPECT_EQ(match.params[0].second, "a b/c");
  EXPECT_EQ(router.Find(Method::kGet, "/orders/bad%zz").kind, Kind::kBadPath);
}

TEST(Router, LiteralSegmentWinsOverParameter) {
  Router router = MakeRouter();
  auto mine = router.Find(Method::kGet, "/orders/mine");
  ASSERT_EQ(mine.kind, Kind::kFound);
  EXPECT_EQ(mine.route->pattern, "/orders/mine");
  EXPECT_TRUE(mine.params.empty());
  auto other = router.Find(Method::kGet, "/orders/mine2");
  ASSERT_EQ(other.kind, Kind::kFound);
  EXPECT_EQ(other.route->pattern, "/orders/{id}");
}

TEST(Router, BacktracksFromLiteralToParameter) {
  Router router = MakeRouter();
  // "mine" is a literal child of /orders, but only /orders/{id}/cancel continues with "cancel".
  auto match = router.Find(Method::kPost, "/orders/mine/cancel");
  ASSERT_EQ(match.kind, Kind::kFound);
  EXPECT_EQ(match.route->pattern, "/orders/{id}/cancel");
  EXPECT_EQ(match.params[0].second, "mine");
}

TEST(Router, TailParameterBindsTheRestOfThePathRaw) {
  Router router;
  router.Get("/api/v1/{area}/{rest...}", auth::Access::Public(), Answer(200));
  router.Get("/api/v1/health", auth::Access::Public(), Answer(200));
  router.Get("/{path...}", auth::Access::Public(), Answer(200));
  auto api = router.Find(Method::kGet, "/api/v1/catalog/products/a%2Fb/x");
  ASSERT_EQ(api.kind, Kind::kFound);
  EXPECT_EQ(api.route->pattern, "/api/v1/{area}/{rest...}");
  ASSERT_EQ(api.params.size(), 2u);
  EXPECT_EQ(api.params[0], (std::pair<std::string, std::string>{"area", "catalog"}));
  EXPECT_EQ(api.params[1], (std::pair<std::string, std::string>{"rest", "products/a%2Fb/x"}));
  EXPECT_EQ(router.Find(Method::kGet, "/api/v1/health").route->pattern, "/api/v1/health");
  // Too short for the API route: falls back to the catch-all, which needs one segment.
  auto fallback = router.Find(Method::kGet, "/api/v1/catalog");
  ASSERT_EQ(fallback.kind, Kind::kFound);
  EXPECT_EQ(fallback.route->pattern, "/{path...}");
  EXPECT_EQ(fallback.params[0].second, "api/v1/catalog");
  EXPECT_EQ(router.Find(Method::kGet, "/").kind, Kind::kNotFound);
  EXPECT_EQ(router.Find(Method::kPost, "/index.html").kind, Kind::kMethodNotAllowed);
  EXPECT_THROW(router.Get("/a/{rest...}/b", auth::Access::Public(), Answer(200)), std::logic_error);
}

// Found by tests/fuzz (http_request harness): a path ending in '/' under a tail route (the
// gateway's "/api/v1/catalog/products/", "/assets/") measured the tail up to a null view, an
// out-of-range string (undefined behaviour; std::length_error escaping the server's Handle).
TEST(Router, TailParameterKeepsATrailingSlash) {
  Router router;
  router.Get("/api/v1/{area}/{rest...}", auth::Access::Public(), Answer(200));
  router.Get("/{path...}", auth::Access::Public(), Answer(200));
  auto api = router.Find(Method::kGet, "/api/v1/catalog/products/");
  ASSERT_EQ(api.kind, Kind::kFound);
  EXPECT_EQ(api.params[1], (std::pair<std::string, std::string>{"rest", "products/"}));
  auto files = router.Find(Method::kGet, "/assets/");
  ASSERT_EQ(files.kind, Kind::kFound);
  EXPECT_EQ(files.params[0].second, "assets/");
  EXPECT_EQ(router.Find(Method::kGet, "/a//").params[0].second, "a//");
}

TEST(Router, UnknownPathIsNotFound) {
  Router router = MakeRouter();
  EXPECT_EQ(router.Find(Method::kGet, "/nothing").kind, Kind::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "/orders/1/cancel/extra").kind, Kind::kNotFound);
  EXPECT_EQ(router.Find(Method::kGet, "/orders/").kind, Kind::kNotFound);  // empty segment binds no parameter
  EXPECT_EQ(router.Find(Method::kGet, "orders").kind, Kind::kBadPath);
}

TEST(Router, WrongMethodListsAllowedMethods) {
  Router router = MakeRouter();
  auto match = router.Find(Method::kDelete, "/orders");
  EXPECT_EQ(match.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(match.allowed, "GET, POST");
  EXPECT_EQ(router.Find(Method::kGet, "/orders/7/cancel").allowed, "POST");
}

TEST(Router, RefusesDuplicateAndMalformedPatterns) {
  Router router = MakeRouter();
  EXPECT_THROW(router.Get("/orders/{id}", auth::Access::Public(), Answer(200)), std::logic_error);
  EXPECT_THROW(router.Get("/orders/{other}/x", auth::Access::Public(), Answer(200)), std::logic_error);
  EXPECT_THROW(router.Get("no-slash", auth::Access::Public(), Answer(200)), std::logic_error);
  EXPECT_THROW(router.Get("/a{b}", auth::Access::Public(), Answer(200)), std::logic_error);
}

TEST(Router, KeepsRegistrationOrderForDocumentation) {
  Router router = MakeRouter();
  ASSERT_EQ(router.routes().size(), 7u);
  EXPECT_EQ(router.routes()[2]->pattern, "/orders/mine");
}

TEST(Request, ParsesQueryParameters) {
  Request request;
  request.target = "/search?q=red+shoes&page=2&empty=&tag=a%26b";
  EXPECT_EQ(request.Path(), "/search");
  EXPECT_EQ(request.Query("q"), "red shoes");
  EXPECT_EQ(request.Query("page"), "2");
  EXPECT_EQ(request.Query("empty"), "");
  EXPECT_EQ(request.Query("tag"), "a&b");
  EXPECT_EQ(request.Query("missing"), std::nullopt);
}

}  // namespace
}  // namespace microstore::http
