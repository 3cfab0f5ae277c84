// Creating, reading, changing and archiving products over HTTP against a real database, with
// the events each change leaves in the outbox.
#include <gtest/gtest.h>

#include <regex>

#include "harness.hpp"

namespace microstore::catalog::testing {
namespace {

using auth::Role;
using nlohmann::json;

const std::regex kTimestamp(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");

json FullBody() {
  return {{"sku", "OAK-CHAIR-1"},
          {"name", "Oak dining chair"},
          {"description", "Solid oak, oiled."},
          {"photo_url", "https://picsum.photos/seed/OAK-CHAIR-1/400/300"},
          {"price_minor", 649000},
          {"currency", "RUB"},
          {"weight_grams", 6200},
          {"dimensions_mm", {{"length", 450}, {"width", 520}, {"height", 900}}},
          {"tags", {"Furniture", "oak", "OAK"}},
          {"on_promotion", true}};
}

class CatalogApi : public ::testing::Test {
 protected:
  std::string ProductPath(const json& product) {
    return "/api/v1/products/" + product["id"].get<std::string>();
  }
  int Count(const std::string& table) { return std::stoi(server_.Sql("SELECT count(*) FROM " + table)); }

  CatalogServer server_;
};

TEST_F(CatalogApi, CreateAnswers201WithLocationAndStoresTheCreatedEvent) {
  const Reply reply = server_.AdminPost("/api/v1/products", FullBody(),
                                        {"X-Correlation-Id: corr-create-1", "X-Request-Id: req-create-1"});
  ASSERT_EQ(reply.status, 201) << reply.text;
  const json& product = reply.body;
  const std::string id = product["id"];
  EXPECT_EQ(reply.Header("Location"), "/api/v1/catalog/products/" + id);
  EXPECT_EQ(reply.Header("ETag"), "\"1\"");
  EXPECT_EQ(product["sku"], "OAK-CHAIR-1");
  EXPECT_EQ(product["name"], "Oak dining chair");
  EXPECT_EQ(product["description"], "Solid oak, oiled.");
  EXPECT_EQ(product["photo_url"], "https://picsum.photos/seed/OAK-CHAIR-1/400/300");
  EXPECT_EQ(product["price_minor"], 649000);
  EXPECT_EQ(product["currency"], "RUB");
  EXPECT_EQ(product["weight_grams"], 6200);
  EXPECT_EQ(product["dimensions_mm"], (json{{"length", 450}, {"width", 520}, {"height", 900}}));
  EXPECT_EQ(product["tags"], (json{"furniture", "oak"}));
  EXPECT_EQ(product["on_promotion"], true);
  EXPECT_EQ(product["archived"], false);
  EXPECT_EQ(product["version"], 1);
  EXPECT_TRUE(std::regex_match(product["created_at"].get<std::string>(), kTimestamp)) << product;
  EXPECT_EQ(product["created_at"], product["updated_at"]);

  const Reply fetched = server_.Get("/api/v1/products/" + id);
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.body, product);
  EXPECT_EQ(fetched.Header("ETag"), "\"1\"");

  const auto events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 1u);
  const json& event = events[0].envelope;
  EXPECT_EQ(events[0].type, "ProductCreated");
  EXPECT_EQ(event["type"], "ProductCreated");
  EXPECT_EQ(event["schema_version"], 1);
  EXPECT_EQ(event["producer"], "catalog");
  EXPECT_EQ(event["node_id"], "catalog-test-node");
  EXPECT_EQ(event["aggregate"],
            (json{{"type", "product"}, {"id", id}, {"version", 1}, {"status", "ACTIVE"}}));
  EXPECT_EQ(event["correlation_id"], "corr-create-1");
  EXPECT_EQ(event["causation_id"], "req-create-1");
  json expected_payload = product;
  expected_payload.erase("id");
  expected_payload.erase("in_stock");  // stock's news, not part of the product's events
  expected_payload["product_id"] = id;
  EXPECT_EQ(event["payload"], expected_payload);
  EXPECT_EQ(server_.Sql("SELECT exchange FROM outbox"), "microstore.catalog");
}

TEST_F(CatalogApi, CreateFillsDefaults) {
  const json product =
      server_.Create({{"sku", "MIN-1"}, {"name", "Minimal"}, {"price_minor", 0}, {"currency", "EUR"}});
  EXPECT_EQ(product["description"], "");
  EXPECT_EQ(product["photo_url"], nullptr);
  EXPECT_EQ(product["weight_grams"], 0);
  EXPECT_EQ(product["dimensions_mm"], (json{{"length", 0}, {"width", 0}, {"height", 0}}));
  EXPECT_EQ(product["tags"], json::array());
  EXPECT_EQ(product["on_promotion"], false);
}

TEST_F(CatalogApi, ATakenSkuIs409AndStoresNothing) {
  server_.Create(ProductBody("DUP-1", "First"));
  const Reply reply = server_.AdminPost("/api/v1/products", ProductBody("DUP-1", "Second"));
  EXPECT_EQ(reply.status, 409) << reply.text;
  EXPECT_EQ(reply.body["type"], "/problems/sku-taken");
  EXPECT_EQ(Count("products"), 1);
  EXPECT_EQ(Count("outbox"), 1);
  // SKUs are case-sensitive identifiers.
  EXPECT_EQ(server_.AdminPost("/api/v1/products", ProductBody("dup-1", "Third")).status, 201);
}

TEST_F(CatalogApi, AnInvalidBodyIs422NamingEveryFieldAndStoresNothing) {
  json body = FullBody();
  body["sku"] = "has space";
  body["price_minor"] = "12";
  body["dimensions_mm"]["height"] = -1;
  body["tags"] = {"ok", "no spaces allowed"};
  body["colour"] = "red";
  body["version"] = 7;
  const Reply reply = server_.AdminPost("/api/v1/products", body);
  ASSERT_EQ(reply.status, 422) << reply.text;
  EXPECT_EQ(reply.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(reply.body["type"], "/problems/validation-failed");
  EXPECT_EQ(reply.ErrorFields(), (std::vector<std::string>{"colour", "version", "sku", "price_minor",
                                                           "dimensions_mm.height", "tags[1]"}));
  EXPECT_EQ(Count("products"), 0);
  EXPECT_EQ(Count("outbox"), 0);
}

TEST_F(CatalogApi, InvalidUtf8IsA422NamingTheField) {
  const std::string body =
      R"({"sku":"U-1","name":"bad )" + std::string("\xC3\x28\xFF") + R"(","price_minor":1,"currency":"RUB"})";
  const Reply reply = server_.Send("POST", "/api/v1/products", body,
                                   {server_.Bearer({Role::kAdmin}), "Content-Type: application/json"});
  ASSERT_EQ(reply.status, 422) << reply.text;
  EXPECT_EQ(reply.ErrorFields(), (std::vector<std::string>{"name"}));
  EXPECT_EQ(reply.body["errors"][0]["message"], "is not valid UTF-8");
  EXPECT_EQ(Count("products"), 0);
}

TEST_F(CatalogApi, MalformedJsonIs400AndAnotherContentTypeIs415) {
  const std::string admin = server_.Bearer({Role::kAdmin});
  EXPECT_EQ(server_.Send("POST", "/api/v1/products", "{\"sku\": ", {admin, "Content-Type: application/json"})
                .status,
            400);
  EXPECT_EQ(
      server_
          .Send("POST", "/api/v1/products", ProductBody("A", "B").dump(), {admin, "Content-Type: text/plain"})
          .status,
      415);
  EXPECT_EQ(server_.Send("POST", "/api/v1/products", "[]", {admin, "Content-Type: application/json"}).status,
            422);
  EXPECT_EQ(Count("products"), 0);
}

TEST_F(CatalogApi, ChangesNeedAnAdminToken) {
  const json product = server_.Create(ProductBody("AUTH-1", "Guarded"));
  const std::string path = ProductPath(product);
  const std::string body = json{{"name", "Changed"}}.dump();
  const std::string json_type = "Content-Type: application/json";
  struct Attempt {
    std::string method;
    std::string target;
  };
  for (const Attempt& attempt :
       {Attempt{"POST", "/api/v1/products"}, Attempt{"PATCH", path}, Attempt{"POST", path + "/archive"}}) {
    const std::string payload =
        attempt.target == "/api/v1/products" ? ProductBody("AUTH-2", "X").dump() : body;
    const Reply anonymous = server_.Send(attempt.method, attempt.target, payload, {json_type});
    EXPECT_EQ(anonymous.status, 401) << attempt.method << " " << attempt.target;
    EXPECT_EQ(anonymous.Header("WWW-Authenticate").rfind("Bearer", 0), 0u);
    for (const auth::RoleSet roles : {auth::RoleSet{Role::kCustomer}, auth::RoleSet{Role::kOperator},
                                      auth::RoleSet{Role::kStockOperator, Role::kShippingOperator}}) {
      EXPECT_EQ(
          server_.Send(attempt.method, attempt.target, payload, {json_type, server_.Bearer(roles)}).status,
          403)
          << attempt.method << " " << attempt.target << " " << roles.Join();
    }
  }
  EXPECT_EQ(server_
                .Send("POST", "/api/v1/products", ProductBody("AUTH-2", "X").dump(),
                      {"Content-Type: application/json", "Authorization: Bearer not-a-token"})
                .status,
            401);
  EXPECT_EQ(server_.Get(path).body["version"], 1);
  EXPECT_EQ(Count("outbox"), 1);
  // Reading is public.
  EXPECT_EQ(server_.Get(path).status, 200);
  EXPECT_EQ(server_.Get("/api/v1/products").status, 200);
}

TEST_F(CatalogApi, UnknownAndMalformedIdsAre404) {
  const std::string unknown = "/api/v1/products/0b7d2f3e-52c4-4a8e-9d3f-2c1e5b7a9f10";
  for (const std::string& target : {unknown, std::string("/api/v1/products/42"),
                                    std::string("/api/v1/products/%27%3B%20DROP%20TABLE%20products")}) {
    const Reply reply = server_.Get(target);
    EXPECT_EQ(reply.status, 404) << target;
    EXPECT_EQ(reply.body["type"], "/problems/not-found");
  }
  EXPECT_EQ(server_.AdminPatch(unknown, {{"name", "x"}}).status, 404);
  EXPECT_EQ(server_.AdminPatch("/api/v1/products/nope", {{"name", "x"}}).status, 404);
  EXPECT_EQ(server_.AdminPost(unknown + "/archive", json::object()).status, 404);
  EXPECT_EQ(Count("outbox"), 0);
}

TEST_F(CatalogApi, PatchChangesBumpsTheVersionAndEmitsProductUpdated) {
  const json product = server_.Create(FullBody());
  const Reply reply = server_.AdminPatch(
      ProductPath(product),
      {{"name", "Walnut dining chair"}, {"dimensions_mm", {{"width", 600}}}, {"photo_url", nullptr}},
      {"X-Correlation-Id: corr-patch"});
  ASSERT_EQ(reply.status, 200) << reply.text;
  EXPECT_EQ(reply.Header("ETag"), "\"2\"");
  const json& updated = reply.body;
  EXPECT_EQ(updated["version"], 2);
  EXPECT_EQ(updated["name"], "Walnut dining chair");
  EXPECT_EQ(updated["dimensions_mm"], (json{{"length", 450}, {"width", 600}, {"height", 900}}));
  EXPECT_EQ(updated["photo_url"], nullptr);
  EXPECT_EQ(updated["price_minor"], 649000);
  EXPECT_EQ(updated["created_at"], product["created_at"]);
  EXPECT_GE(updated["updated_at"].get<std::string>(), product["updated_at"].get<std::string>());
  EXPECT_EQ(server_.Get(ProductPath(product)).body, updated);

  const auto events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].type, "ProductUpdated");
  const json& event = events[1].envelope;
  EXPECT_EQ(event["aggregate"]["version"], 2);
  EXPECT_EQ(event["aggregate"]["status"], "ACTIVE");
  EXPECT_EQ(event["correlation_id"], "corr-patch");
  json expected_payload = updated;
  expected_payload.erase("id");
  expected_payload.erase("in_stock");
  expected_payload["product_id"] = product["id"];
  EXPECT_EQ(event["payload"], expected_payload);
}

TEST_F(CatalogApi, APriceChangeAlsoEmitsProductPriceChangedAtTheSameVersion) {
  const json product = server_.Create(FullBody());
  const Reply reply =
      server_.AdminPatch(ProductPath(product), {{"price_minor", 599000}, {"on_promotion", false}});
  ASSERT_EQ(reply.status, 200) << reply.text;
  auto events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].type, "ProductUpdated");
  EXPECT_EQ(events[2].type, "ProductPriceChanged");
  EXPECT_EQ(events[2].envelope["aggregate"], events[1].envelope["aggregate"]);
  EXPECT_EQ(events[2].envelope["aggregate"]["version"], 2);
  EXPECT_NE(events[2].envelope["id"], events[1].envelope["id"]);
  EXPECT_EQ(events[2].envelope["payload"], (json{{"product_id", product["id"]},
                                                 {"sku", "OAK-CHAIR-1"},
                                                 {"old_price_minor", 649000},
                                                 {"price_minor", 599000},
                                                 {"currency", "RUB"}}));

  ASSERT_EQ(server_.AdminPatch(ProductPath(product), {{"currency", "EUR"}}).status, 200);
  events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[4].type, "ProductPriceChanged");
  EXPECT_EQ(events[4].envelope["payload"]["old_price_minor"], 599000);
  EXPECT_EQ(events[4].envelope["payload"]["currency"], "EUR");
  EXPECT_EQ(events[4].envelope["aggregate"]["version"], 3);
}

TEST_F(CatalogApi, APatchThatChangesNothingKeepsTheVersionAndEmitsNothing) {
  const json product = server_.Create(FullBody());
  for (const json& patch :
       {json::object(), json{{"name", "Oak dining chair"}, {"tags", {"FURNITURE", "oak", "Oak"}}},
        json{{"dimensions_mm", {{"length", 450}}}}}) {
    const Reply reply = server_.AdminPatch(ProductPath(product), patch);
    ASSERT_EQ(reply.status, 200) << reply.text;
    EXPECT_EQ(reply.body, product) << patch;
  }
  EXPECT_EQ(Count("outbox"), 1);
}

TEST_F(CatalogApi, IfMatchGuardsAgainstLostUpdates) {
  const json product = server_.Create(FullBody());
  const std::string path = ProductPath(product);
  ASSERT_EQ(server_.AdminPatch(path, {{"name", "First edit"}}, {"If-Match: \"1\""}).status, 200);
  const Reply stale = server_.AdminPatch(path, {{"name", "Second edit"}}, {"If-Match: \"1\""});
  EXPECT_EQ(stale.status, 412) << stale.text;
  EXPECT_EQ(stale.body["type"], "/problems/version-mismatch");
  EXPECT_EQ(server_.Get(path).body["name"], "First edit");
  EXPECT_EQ(server_.AdminPatch(path, {{"name", "Second edit"}}, {"If-Match: W/\"2\""}).status, 412);
  EXPECT_EQ(server_.AdminPatch(path, {{"name", "Second edit"}}, {"If-Match: 2"}).status, 400);
  EXPECT_EQ(server_.AdminPatch(path, {{"name", "Second edit"}}, {"If-Match: \"1\", \"2\""}).status, 200);
  EXPECT_EQ(server_.AdminPatch(path, {{"name", "Third edit"}}, {"If-Match: *"}).status, 200);
  EXPECT_EQ(server_.Get(path).body["version"], 4);
  EXPECT_EQ(Count("outbox"), 4);
}

TEST_F(CatalogApi, AnInvalidPatchIs422AndChangesNothing) {
  const json product = server_.Create(FullBody());
  const Reply reply = server_.AdminPatch(
      ProductPath(product), {{"price_minor", -1}, {"nmae", "typo"}, {"archived", true}, {"tags", {"x", 5}}});
  ASSERT_EQ(reply.status, 422) << reply.text;
  EXPECT_EQ(reply.ErrorFields(), (std::vector<std::string>{"archived", "nmae", "price_minor", "tags[1]"}));
  EXPECT_EQ(server_.Get(ProductPath(product)).body, product);
  EXPECT_EQ(Count("outbox"), 1);
}

TEST_F(CatalogApi, PatchingToATakenSkuIs409) {
  server_.Create(ProductBody("TAKEN-1", "One"));
  const json other = server_.Create(ProductBody("OTHER-1", "Two"));
  const Reply reply = server_.AdminPatch(ProductPath(other), {{"sku", "TAKEN-1"}});
  EXPECT_EQ(reply.status, 409) << reply.text;
  EXPECT_EQ(reply.body["type"], "/problems/sku-taken");
  EXPECT_EQ(server_.Get(ProductPath(other)).body["sku"], "OTHER-1");
  EXPECT_EQ(Count("outbox"), 2);
}

TEST_F(CatalogApi, ArchivingIsIdempotentEmitsOnceAndFreezesTheProduct) {
  const json product = server_.Create(FullBody());
  const std::string path = ProductPath(product);
  const Reply archived = server_.AdminPost(path + "/archive", json::object());
  ASSERT_EQ(archived.status, 200) << archived.text;
  EXPECT_EQ(archived.body["archived"], true);
  EXPECT_EQ(archived.body["version"], 2);
  EXPECT_EQ(archived.Header("ETag"), "\"2\"");

  const Reply again = server_.Send("POST", path + "/archive", "", {server_.Bearer({Role::kAdmin})});
  ASSERT_EQ(again.status, 200) << again.text;
  EXPECT_EQ(again.body, archived.body);

  const auto events = server_.OutboxEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].type, "ProductArchived");
  EXPECT_EQ(events[1].envelope["aggregate"],
            (json{{"type", "product"}, {"id", product["id"]}, {"version", 2}, {"status", "ARCHIVED"}}));
  EXPECT_EQ(events[1].envelope["payload"], (json{{"product_id", product["id"]}, {"sku", "OAK-CHAIR-1"}}));

  const Reply fetched = server_.Get(path);
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.body["archived"], true);
  const Reply patch = server_.AdminPatch(path, {{"name", "Too late"}});
  EXPECT_EQ(patch.status, 409);
  EXPECT_EQ(patch.body["type"], "/problems/product-archived");
  EXPECT_EQ(server_.Get("/api/v1/products").body["items"], json::array());
  EXPECT_EQ(Count("outbox"), 2);
}

}  // namespace
}  // namespace microstore::catalog::testing
