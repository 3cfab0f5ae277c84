#include "platform/http/problem.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "platform/http/server.hpp"

namespace microstore::http {
namespace {

TEST(ValidationFailed, NamesEveryFieldInOrder) {
  const HttpError error = ValidationFailed(
      std::vector<FieldError>{{"sku", "is required"}, {"items[2].quantity", "must be positive"}});
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

Request FailingRequest() {
  Request request;
  request.target = "/api/v1/orders?limit=3";
  request.request_id = "req-7";
  return request;
}

template <typename E>
std::exception_ptr Thrown(E error) {
  return std::make_exception_ptr(std::move(error));
}

TEST(ProblemFor, AnHttpErrorIsItsOwnProblem) {
  const Request request = FailingRequest();
  const Response response =
      ProblemFor(Thrown(ValidationFailed({{"email", "is not an e-mail address"}})), request);
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.content_type, "application/problem+json");
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["type"], "/problems/validation-failed");
  EXPECT_EQ(body["detail"], "1 field is invalid");
  EXPECT_EQ(body["instance"], "/api/v1/orders");
  EXPECT_EQ(body["request_id"], "req-7");
  EXPECT_EQ(body["errors"],
            nlohmann::json::parse(R"([{"field":"email","message":"is not an e-mail address"}])"));
}

TEST(ProblemFor, TheFirstMapperThatAnswersWinsAndNoneSeesAnHttpError) {
  const Request request = FailingRequest();
  int asked = 0;
  const std::vector<ErrorMapper> mappers = {
      [&](const std::exception_ptr&, const Request&) -> std::optional<Response> {
        ++asked;
        return std::nullopt;
      },
      [&](const std::exception_ptr& error, const Request& failed) -> std::optional<Response> {
        ++asked;
        try {
          std::rethrow_exception(error);
        } catch (const std::out_of_range&) {
          return Problem(503, "database-unavailable", "try again", &failed);
        } catch (...) {
          return std::nullopt;
        }
      },
      [&](const std::exception_ptr&, const Request&) -> std::optional<Response> {
        ++asked;
        return Problem(418, "never", "never asked", nullptr);
      }};
  EXPECT_EQ(ProblemFor(Thrown(std::out_of_range("pool")), request, mappers).status, 503);
  EXPECT_EQ(asked, 2);
  EXPECT_EQ(ProblemFor(Thrown(HttpError(409, "conflict", "taken")), request, mappers).status, 409);
  EXPECT_EQ(asked, 2);
}

TEST(ProblemFor, AnythingElseIsA500QuotingTheRequestIdWithoutInternals) {
  const Request request = FailingRequest();
  const Response response = ProblemFor(Thrown(std::runtime_error("secret connection string")), request);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.content_type, "application/problem+json");
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["type"], "/problems/internal-error");
  EXPECT_EQ(body["detail"], "the server failed to answer; quote request id req-7 when reporting it");
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
  EXPECT_EQ(ProblemFor(Thrown(42), request).status, 500);  // not even a std::exception
}

}  // namespace
}  // namespace microstore::http
