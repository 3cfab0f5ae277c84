// Bad input through the gateway: every malformed request gets a 4xx problem+json that says what
// is wrong, never a 500, and nothing is stored.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "system.hpp"

namespace microstore::e2e {
namespace {

using nlohmann::json;

void ExpectProblem(const Reply& reply, int status) {
  EXPECT_EQ(reply.status, status) << reply.Describe();
  EXPECT_EQ(reply.Header("Content-Type"), "application/problem+json") << reply.Describe();
  ASSERT_TRUE(reply.body.is_object()) << reply.Describe();
  EXPECT_EQ(reply.body.value("status", 0), status);
  EXPECT_FALSE(reply.body.value("detail", "").empty()) << reply.Describe();
}

// The fields an `errors` list names.
std::vector<std::string> Fields(const Reply& reply) {
  std::vector<std::string> fields;
  for (const auto& error : reply.body.value("errors", json::array())) fields.push_back(error.value("field", ""));
  return fields;
}

class BadInput : public ::testing::Test {
 protected:
  // How many users and products exist, from the services' own APIs.
  std::pair<std::size_t, std::size_t> Counts() {
    std::size_t users = 0, products = 0;
    for (const auto& [path, counter] : {std::pair{std::string("/api/v1/identity/users?limit=100"), &users},
                                        std::pair{std::string("/api/v1/catalog/products?limit=100"), &products}}) {
      std::string cursor;
      do {
        const Reply page = system_.Get(path + (cursor.empty() ? "" : "&cursor=" + cursor), admin_.access);
        EXPECT_EQ(page.status, 200) << page.Describe();
        if (page.status != 200) break;
        *counter += page.body.at("items").size();
        cursor = page.body.value("next_cursor", "");
      } while (!cursor.empty());
    }
    return {users, products};
  }

  System& system_ = System::Shared();
  TokenPair admin_ = system_.SignInAdmin();
};

TEST_F(BadInput, MalformedBodiesWrongTypesMissingFieldsAndHugeStringsStoreNothing) {
  const auto before = Counts();
  const std::string email = "bad-" + Unique() + "@example.com";

  ExpectProblem(system_.Send({.method = "POST", .path = "/api/v1/identity/register", .raw_body = "{\"email\": "}), 400);
  ExpectProblem(system_.Send({.method = "POST", .path = "/api/v1/catalog/products", .raw_body = "[1,2", .token = admin_.access}),
                400);

  const Reply wrong_types = system_.Post("/api/v1/identity/register",
                                         {{"email", 42}, {"password", true}, {"first_name", json::array()}, {"last_name", "X"}});
  ExpectProblem(wrong_types, 422);
  EXPECT_EQ(Fields(wrong_types), (std::vector<std::string>{"email", "password", "first_name"})) << wrong_types.Describe();

  const Reply missing = system_.Post("/api/v1/identity/register", {{"email", email}});
  ExpectProblem(missing, 422);
  EXPECT_GE(Fields(missing).size(), 3u) << missing.Describe();

  const Reply weak = system_.Post("/api/v1/identity/register",
                                  {{"email", email}, {"password", "short"}, {"first_name", "A"}, {"last_name", "B"}});
  ExpectProblem(weak, 422);
  EXPECT_THAT(Fields(weak), ::testing::Each("password")) << weak.Describe();
  EXPECT_FALSE(Fields(weak).empty());

  const std::string huge(100'000, 'x');
  ExpectProblem(system_.Post("/api/v1/identity/register",
                             {{"email", email}, {"password", "Good-password-1"}, {"first_name", huge}, {"last_name", "B"}}),
                422);
  json product = {{"sku", "SKU-" + Unique()}, {"name", huge}, {"price_minor", -5}, {"currency", "rubles"}};
  const Reply bad_product = system_.Post("/api/v1/catalog/products", product, admin_.access);
  ExpectProblem(bad_product, 422);
  EXPECT_EQ(Fields(bad_product).size(), 3u) << bad_product.Describe();
  product = {{"sku", "SKU-" + Unique()}, {"name", "Fine"}, {"price_minor", "100"}, {"currency", "RUB"}};
  ExpectProblem(system_.Post("/api/v1/catalog/products", product, admin_.access), 422);

  // Bigger than any body a service accepts.
  ExpectProblem(system_.Send({.method = "POST",
                              .path = "/api/v1/catalog/products",
                              .raw_body = "{\"name\":\"" + std::string(4'000'000, 'y') + "\"}",
                              .token = admin_.access}),
                413);

  EXPECT_EQ(Counts(), before);
  const Reply sign_in = system_.Post("/api/v1/identity/token", {{"email", email}, {"password", "Good-password-1"}});
  EXPECT_EQ(sign_in.status, 401) << sign_in.Describe();
}

TEST_F(BadInput, SearchTakesAnyTextAsWords) {
  const std::vector<std::string> queries = {"'%3B%20DROP%20TABLE%20products%3B%20--", "%26%7C!()%3A*%5C", "%22%22%22",
                                            "%D0%B4%D1%83%D0%B1", "a%20%26%20b%20%7C%20!c", "%00", std::string(600, 'a')};
  for (const auto& q : queries) {
    const Reply reply = system_.Get("/api/v1/catalog/products?q=" + q);
    EXPECT_LT(reply.status, 500) << q << ": " << reply.Describe();
    EXPECT_TRUE(reply.status == 200 || reply.status == 422 || reply.status == 400) << q << ": " << reply.Describe();
  }
  ExpectProblem(system_.Get("/api/v1/catalog/products?min_price=cheap"), 422);
  ExpectProblem(system_.Get("/api/v1/catalog/products?sort=sideways"), 422);
  ExpectProblem(system_.Get("/api/v1/catalog/products?cursor=bm90LWEtY3Vyc29y"), 422);
  ExpectProblem(system_.Get("/api/v1/catalog/products/not-a-uuid"), 404);
  ExpectProblem(system_.Get("/api/v1/nowhere/at/all"), 404);
}

}  // namespace
}  // namespace microstore::e2e
