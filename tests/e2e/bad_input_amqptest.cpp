// Bad input through the gateway: every malformed request gets a 4xx problem+json that says what
// is wrong, never a 500, and nothing is stored.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

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

// Every route that reads a body, with the field a hostile body aims at and a valid body that
// holds it: each defect the platform's JSON reader refuses must come back as a 4xx naming the
// field, never as a 500, whatever the route (issue: "a JSON number outside the range of a double
// gives 500").
struct BodyRoute {
  std::string method;
  std::string path;
  std::string field;  // a field of the route's body, where the hostile value goes
};

std::vector<BodyRoute> BodyRoutes(const std::string& product_id) {
  return {{"POST", "/api/v1/identity/register", "email"},
          {"POST", "/api/v1/identity/token", "password"},
          {"POST", "/api/v1/identity/token/refresh", "refresh_token"},
          {"PATCH", "/api/v1/identity/users/me", "first_name"},
          {"POST", "/api/v1/catalog/products", "price_minor"},
          {"PATCH", "/api/v1/catalog/products/" + product_id, "name"},
          {"POST", "/api/v1/order/orders", "items"},
          {"POST", "/api/v1/payment/accounts/me/deposits", "amount_minor"},
          {"POST", "/api/v1/stock/items/" + product_id + "/restock", "quantity"},
          {"POST", "/api/v1/stock/items/" + product_id + "/adjustments", "delta"}};
}

TEST_F(BadInput, HostileJsonOnEveryRouteThatTakesABodyIsRefusedNamingTheField) {
  const auto customer = system_.RegisterCustomer("hostile");
  // Every role at once: each route's own role check passes, so the body is what gets judged.
  const std::string token = system_.SignToken(
      customer.id, {"CUSTOMER", "OPERATOR", "STOCK_OPERATOR", "SHIPPING_OPERATOR", "ADMIN"},
      std::chrono::system_clock::now() + std::chrono::minutes(10));
  // A real product, so that the routes that look it up read their body before finding nothing.
  const Reply created = system_.Post(
      "/api/v1/catalog/products",
      {{"sku", "SKU-" + Unique()}, {"name", "Target"}, {"price_minor", 100}, {"currency", "RUB"}}, admin_.access);
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string product_id = created.body.at("id");
  const auto before = Counts();

  struct Hostile {
    std::string name;
    std::function<std::string(const std::string& field)> body;
    int status;
    std::function<std::string(const std::string& field)> named;  // the field the answer must name
  };
  const std::string deep = std::string(200, '[') + std::string(200, ']');
  const std::vector<Hostile> hostile = {
      {"number beyond a double", [](const std::string& f) { return "{\"" + f + "\":2e400}"; }, 422,
       [](const std::string& f) { return f; }},
      {"negative number beyond a double", [](const std::string& f) { return "{\"" + f + "\":-1e400}"; }, 422,
       [](const std::string& f) { return f; }},
      {"unknown field beyond a double", [](const std::string&) { return R"({"n":1e400})"; }, 422,
       [](const std::string&) { return std::string("n"); }},
      {"out-of-range number in an order line",
       [](const std::string&) { return R"({"items":[{"product_id":"0b6f1c8e-4f4a-4d2b-9c1e-2f3a4b5c6d7e","quantity":2e400}]})"; },
       422, [](const std::string&) { return std::string("items[0].quantity"); }},
      // The body is level 1 and the field's arrays levels 2 to 64: the 65th level is refused.
      {"nesting 200 deep", [deep](const std::string& f) { return "{\"" + f + "\":" + deep + "}"; }, 400,
       [](const std::string& f) {
         std::string path = f;
         for (int level = 2; level < 65; ++level) path += "[0]";
         return path;
       }},
      {"invalid UTF-8", [](const std::string& f) { return "{\"" + f + "\":\"bad \xFF\xFE bytes\"}"; }, 422,
       [](const std::string& f) { return f; }},
      {"a lone surrogate", [](const std::string& f) { return "{\"" + f + "\":\"\\ud800\"}"; }, 422,
       [](const std::string& f) { return f; }},
      {"duplicate field", [](const std::string& f) { return "{\"" + f + "\":1,\"" + f + "\":2}"; }, 422,
       [](const std::string& f) { return f; }},
      {"wrong type", [](const std::string& f) { return "{\"" + f + "\":{\"x\":[true]}}"; }, 422,
       [](const std::string& f) { return f; }},
  };
  for (const auto& route : BodyRoutes(product_id)) {
    for (const auto& attack : hostile) {
      const std::string label = route.method + " " + route.path + ": " + attack.name;
      const Reply reply = system_.Send({.method = route.method,
                                        .path = route.path,
                                        .raw_body = attack.body(route.field),
                                        .token = token,
                                        .headers = {{"Idempotency-Key", "hostile-" + Unique()}}});
      EXPECT_EQ(reply.status, attack.status) << label << ": " << reply.Describe();
      EXPECT_EQ(reply.Header("Content-Type"), "application/problem+json") << label;
      EXPECT_THAT(Fields(reply), ::testing::Contains(attack.named(route.field))) << label << ": " << reply.Describe();
    }
  }
  EXPECT_EQ(Counts(), before);
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
