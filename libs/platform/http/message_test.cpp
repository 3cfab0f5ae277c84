#include "platform/http/message.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "platform/http/problem.hpp"

namespace microstore::http {
namespace {

Request JsonRequest(std::string body) {
  Request request;
  request.headers.Set("Content-Type", "application/json; charset=utf-8");
  request.body = std::move(body);
  return request;
}

// The HttpError Json() throws for `body`; fails the test when it parses.
HttpError RefusalOf(std::string body) {
  try {
    JsonRequest(body).Json();
  } catch (const HttpError& error) {
    return error;
  }
  ADD_FAILURE() << "parsed: " << body;
  return HttpError(200, "parsed", "");
}

TEST(RequestJson, ParsesJsonBodies) {
  EXPECT_EQ(JsonRequest(R"({"name":"Стул","n":[1,2.5]})").Json()["name"], "Стул");
}

TEST(RequestJson, AnswersAValueDefectAsAValidationFailureNamingTheField) {
  for (const auto& [body, field, message] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {R"({"email":"a@b.c","password":"x","n":1e400})", "n", "is a number out of range"},
           {R"({"items":[{"quantity":2e400}]})", "items[0].quantity", "is a number out of range"},
           {R"({"email":"a@b.c","email":"d@e.f"})", "email", "is given more than once"},
           {"{\"name\":\"bad \xFF\"}", "name", "is not valid UTF-8"}}) {
    const HttpError error = RefusalOf(body);
    EXPECT_EQ(error.status(), 422) << body;
    EXPECT_EQ(error.code(), "validation-failed") << body;
    ASSERT_EQ(error.errors().size(), 1u) << body;
    EXPECT_EQ(error.errors()[0].field, field) << body;
    EXPECT_EQ(error.errors()[0].message, message) << body;
  }
}

TEST(RequestJson, AnswersWhatIsNotJsonAsMalformedSayingWhere) {
  const HttpError truncated = RefusalOf("{\"name\": ");
  EXPECT_EQ(truncated.status(), 400);
  EXPECT_EQ(truncated.code(), "malformed-json");
  EXPECT_NE(std::string(truncated.what()).find("at byte 10, in name"), std::string::npos) << truncated.what();

  const HttpError deep = RefusalOf("{\"tags\":" + std::string(100, '[') + std::string(100, ']') + "}");
  EXPECT_EQ(deep.status(), 400);
  EXPECT_EQ(deep.code(), "malformed-json");
  ASSERT_EQ(deep.errors().size(), 1u);
  EXPECT_TRUE(deep.errors()[0].field.starts_with("tags[0]")) << deep.errors()[0].field;
  EXPECT_NE(std::string(deep.what()).find("deeper than 64 levels"), std::string::npos) << deep.what();
}

TEST(RequestJson, RefusesOtherMediaTypes) {
  Request text = JsonRequest("{}");
  text.headers.Set("Content-Type", "text/plain");
  try {
    text.Json();
    ADD_FAILURE() << "parsed a text/plain body";
  } catch (const HttpError& error) {
    EXPECT_EQ(error.status(), 415);
  }
}

}  // namespace
}  // namespace microstore::http
