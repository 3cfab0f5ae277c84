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

}  // namespace
}  // namespace microstore::catalog
