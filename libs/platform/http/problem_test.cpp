#include "platform/http/problem.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace microstore::http {
namespace {

// A service's own problem type: ValidationFailed takes anything with a field and a message.
struct FieldProblem {
  std::string field;
  std::string message;
  int severity = 0;  // more than a FieldError carries: ignored
};

TEST(ValidationFailed, NamesEveryFieldInOrder) {
  const HttpError error = ValidationFailed(
      std::vector<FieldProblem>{{"sku", "is required", 1}, {"items[2].quantity", "must be positive", 2}});
  EXPECT_EQ(error.status(), 422);
  EXPECT_EQ(error.code(), "validation-failed");
  EXPECT_STREQ(error.what(), "2 fields are invalid");
  ASSERT_EQ(error.errors().size(), 2u);
  EXPECT_EQ(error.errors()[0].field, "sku");
  EXPECT_EQ(error.errors()[0].message, "is required");
  EXPECT_EQ(error.errors()[1].field, "items[2].quantity");
  EXPECT_EQ(error.errors()[1].message, "must be positive");
}

TEST(ValidationFailed, SaysOneFieldInTheSingular) {
  const HttpError error = ValidationFailed({{"Idempotency-Key", "is required"}});
  EXPECT_STREQ(error.what(), "1 field is invalid");
  ASSERT_EQ(error.errors().size(), 1u);
  EXPECT_EQ(error.errors()[0].field, "Idempotency-Key");
}

TEST(ValidationFailed, RendersAsAProblemListingTheErrors) {
  const HttpError error =
      ValidationFailed(std::vector<FieldError>{{"a", "bad"}, {"b", "worse"}, {"c", "worst"}});
  const Response response = Problem(error.status(), error.code(), error.what(), nullptr, error.errors());
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.content_type, "application/problem+json");
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["type"], "/problems/validation-failed");
  EXPECT_EQ(body["detail"], "3 fields are invalid");
  EXPECT_EQ(body["errors"],
            nlohmann::json::parse(R"([{"field":"a","message":"bad"},{"field":"b","message":"worse"},
                                                      {"field":"c","message":"worst"}])"));
}

}  // namespace
}  // namespace microstore::http
