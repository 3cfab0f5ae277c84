#include "http/query.hpp"

#include <gtest/gtest.h>

#include "http/problem.hpp"

namespace microstore::http {
namespace {

using Parameters = std::vector<std::pair<std::string, std::string>>;

Request WithTarget(std::string target) {
  Request request;
  request.target = std::move(target);
  return request;
}

TEST(QueryParameters, DecodesEveryPairInOrderKeepingRepeats) {
  const Request request = WithTarget("/items?b=2&a=red+shoes&b=%33&tag=a%26b&flag&empty=&x%3Dy=1=2");
  EXPECT_EQ(QueryParameters(request), (Parameters{{"b", "2"},
                                                  {"a", "red shoes"},
                                                  {"b", "3"},
                                                  {"tag", "a&b"},
                                                  {"flag", ""},
                                                  {"empty", ""},
                                                  {"x=y", "1=2"}}));
}

TEST(QueryParameters, SkipsEmptyPairsAndAnswersNoneWithoutAQuery) {
  EXPECT_EQ(QueryParameters(WithTarget("/items?&&a=1&&")), (Parameters{{"a", "1"}}));
  EXPECT_EQ(QueryParameters(WithTarget("/items?")), Parameters{});
  EXPECT_EQ(QueryParameters(WithTarget("/items")), Parameters{});
  EXPECT_EQ(QueryParameters(WithTarget("/items?=1")), (Parameters{{"", "1"}}));
}

TEST(QueryParameters, BadEscapeInANameOrAValueIs400) {
  for (const char* target : {"/items?a=%zz", "/items?a=%4", "/items?%g1=1", "/items?ok=1&a=%"}) {
    try {
      QueryParameters(WithTarget(target));
      ADD_FAILURE() << target << " was accepted";
    } catch (const HttpError& error) {
      EXPECT_EQ(error.status(), 400) << target;
      EXPECT_EQ(error.code(), "malformed-query") << target;
      EXPECT_STREQ(error.what(), "the query string is not valid percent-encoding");
    }
  }
}

TEST(RefuseQueryParameters, NamesEachParameterGivenAndAcceptsNone) {
  EXPECT_NO_THROW(RefuseQueryParameters(WithTarget("/items")));
  try {
    RefuseQueryParameters(WithTarget("/items?a=1&b&" + std::string(150, 'x') + "=2"));
    FAIL() << "expected 422";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 422);
    ASSERT_EQ(e.errors().size(), 3u);
    EXPECT_EQ(e.errors()[0].field, "a");
    EXPECT_EQ(e.errors()[1].field, "b");
    EXPECT_EQ(e.errors()[2].field, std::string(100, 'x'));
    EXPECT_EQ(e.errors()[0].message, "is not a known query parameter");
  }
}

}  // namespace
}  // namespace microstore::http
