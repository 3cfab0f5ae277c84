#include "platform/http/query.hpp"

#include <gtest/gtest.h>

#include "platform/http/problem.hpp"

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
    EXPECT_EQ(e.errors()[2].field, std::string(100, 'x') + "\u2026");  // core::EchoedName
    EXPECT_EQ(e.errors()[0].message, "is not a known query parameter");
  }
}

TEST(QueryReader, ReadsKnownParametersAndNamesEveryProblemAtOnce) {
  QueryReader query(Parameters{{"limit", "0"}, {"status", "PAID"}, {"secret\n", "x"}, {"status", "NEW"},
                               {"in_stock", "yes"}, {"min", "12"}},
                    {"limit", "cursor", "status", "in_stock", "min"});
  EXPECT_EQ(query.Limit(), kDefaultPageLimit);
  EXPECT_EQ(query.Find("status"), nullptr);  // repeated: not read
  EXPECT_FALSE(query.Flag("in_stock"));
  EXPECT_EQ(query.Integer("min", 0, 100), 12);
  EXPECT_EQ(query.Cursor([](std::string_view) { return std::optional<int>(1); }), std::nullopt);  // absent
  EXPECT_EQ(query.errors(), (std::vector<FieldError>{{"secret?", "is not a known query parameter"},
                                                     {"status", "is given more than once"},
                                                     {"limit", "must be an integer from 1 to 100"},
                                                     {"in_stock", "must be true or false"}}));
}

TEST(QueryReader, DecodesTheCursorOrRefusesIt) {
  QueryReader good(Parameters{{"cursor", "abc"}, {"limit", "100"}}, {"limit", "cursor"});
  EXPECT_EQ(good.Limit(), 100u);
  EXPECT_EQ(good.Cursor([](std::string_view text) { return std::optional<std::string>(std::string(text)); }), "abc");
  EXPECT_TRUE(good.errors().empty());
  good.ThrowIfInvalid();

  QueryReader forged(Parameters{{"cursor", "abc"}}, {"cursor"});
  EXPECT_EQ(forged.Cursor([](std::string_view) { return std::optional<int>(); }), std::nullopt);
  EXPECT_EQ(forged.errors(),
            (std::vector<FieldError>{{"cursor", "is not a cursor of this listing; start again without it"}}));
  EXPECT_THROW(forged.ThrowIfInvalid(), HttpError);
}

TEST(IdempotencyKey, AcceptsShortPrintableKeysOnly) {
  Request request;
  EXPECT_EQ(std::get<FieldError>(IdempotencyKey(request)).field, "Idempotency-Key");
  request.headers.Set("Idempotency-Key", "order-1 try 2");
  EXPECT_EQ(std::get<std::string>(IdempotencyKey(request)), "order-1 try 2");
  for (const std::string& bad : {std::string(), std::string(201, 'k'), std::string("caf\xC3\xA9"), std::string("a\tb")}) {
    request.headers.Set("Idempotency-Key", bad);
    const auto refused = IdempotencyKey(request);
    ASSERT_TRUE(std::holds_alternative<FieldError>(refused)) << bad;
    EXPECT_EQ(std::get<FieldError>(refused).message, "must be 1 to 200 printable ASCII characters");
  }
  request.headers.Set("Idempotency-Key", std::string(200, 'k'));
  EXPECT_TRUE(std::holds_alternative<std::string>(IdempotencyKey(request)));
}

}  // namespace
}  // namespace microstore::http
