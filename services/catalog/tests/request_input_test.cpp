#include "api/request_input.hpp"

#include <gtest/gtest.h>

#include "domain/utf8.hpp"

namespace microstore::catalog {
namespace {

http::Request JsonRequest(std::string body) {
  http::Request request;
  request.headers.Set("Content-Type", "application/json");
  request.body = std::move(body);
  return request;
}

int StatusOf(const http::Request& request) {
  try {
    JsonBody(request);
  } catch (const http::HttpError& error) {
    return error.status();
  }
  return 200;
}

TEST(JsonBody, ParsesValidJson) { EXPECT_EQ(JsonBody(JsonRequest(R"({"name":"Стул"})"))["name"], "Стул"); }

TEST(JsonBody, MarksInvalidUtf8SoTheFieldCanBeNamed) {
  const auto body = JsonBody(JsonRequest("{\"name\":\"bad \xFF\xFE\",\"sku\":\"ok\"}"));
  EXPECT_TRUE(utf8::ContainsInvalidMarker(body["name"].get<std::string>()));
  EXPECT_EQ(body["sku"], "ok");
  auto result = ValidateNewProduct(body);
  ASSERT_TRUE(std::holds_alternative<Problems>(result));
  bool named = false;
  for (const auto& problem : std::get<Problems>(result)) {
    named = named || (problem.field == "name" && problem.message == "is not valid UTF-8");
  }
  EXPECT_TRUE(named);
}

TEST(JsonBody, KeepsTheUsualErrors) {
  EXPECT_EQ(StatusOf(JsonRequest("{\"name\": ")), 400);
  EXPECT_EQ(StatusOf(JsonRequest("{\"name\": \xFF}")), 400);  // invalid bytes outside a string
  http::Request text = JsonRequest("{}");
  text.headers.Set("Content-Type", "text/plain");
  EXPECT_EQ(StatusOf(text), 415);
  text.body = "\xFF";
  EXPECT_EQ(StatusOf(text), 415);
}

TEST(QueryParameters, DecodesInOrderKeepingRepeats) {
  http::Request request;
  request.target = "/api/v1/products?q=oak+chair&tag=a&&tag=b&q2=%D1%81%D1%82%D1%83%D0%BB&flag";
  const auto parameters = QueryParameters(request);
  ASSERT_EQ(parameters.size(), 5u);
  EXPECT_EQ(parameters[0], (std::pair<std::string, std::string>{"q", "oak chair"}));
  EXPECT_EQ(parameters[2].second, "b");
  EXPECT_EQ(parameters[3].second, "стул");
  EXPECT_EQ(parameters[4], (std::pair<std::string, std::string>{"flag", ""}));
}

TEST(QueryParameters, MalformedEscapeIs400) {
  http::Request request;
  request.target = "/api/v1/products?q=%zz";
  try {
    QueryParameters(request);
    FAIL() << "accepted";
  } catch (const http::HttpError& error) {
    EXPECT_EQ(error.status(), 400);
  }
}

TEST(ValidationFailed, ListsEveryField) {
  const http::HttpError error = ValidationFailed({{"sku", "is required"}, {"tags[2]", "bad"}});
  EXPECT_EQ(error.status(), 422);
  EXPECT_EQ(error.code(), "validation-failed");
  ASSERT_EQ(error.errors().size(), 2u);
  EXPECT_EQ(error.errors()[1].field, "tags[2]");
}

}  // namespace
}  // namespace microstore::catalog
