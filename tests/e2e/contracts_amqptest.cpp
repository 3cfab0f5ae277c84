// The contracts tell the truth: every route the gateway exposes is in contracts/openapi.yaml with
// the access it really has (and nothing else is), and every event the services emit validates
// against its JSON Schema in contracts/asyncapi.yaml. The checks run the contract checker
// (contracts/check, Node.js with real YAML, OpenAPI and JSON Schema implementations).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "routes.hpp"
#include "shop.hpp"
#include "system.hpp"

namespace microstore::e2e {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kContracts = std::string(MICROSTORE_SOURCE_DIR) + "/contracts";

// Runs the checker and answers its exit code; its output goes to the test's log.
int RunChecker(const std::string& mode, const std::string& contract, const json& input) {
  const auto dir = std::filesystem::temp_directory_path() / ("microstore-contracts-" + Unique());
  std::filesystem::create_directories(dir);
  const auto input_path = dir / (mode + ".json");
  std::ofstream(input_path) << input.dump(2);
  testing::ChildProcess checker("/usr/bin/env", {"node", kContracts + "/check/check.mjs", mode, contract, input_path},
                                {});
  const auto code = checker.Wait(120s);
  std::cout << checker.Output();
  std::filesystem::remove_all(dir);
  return code.value_or(-1);
}

json AccessOf(const auth::Access& access) {
  if (access.IsPublic()) return "public";
  if (access.required_roles().Empty()) return "authenticated";
  return access.required_roles().ToStrings();
}

TEST(Contracts, EveryPublicRouteIsInTheOpenApiDocumentWithItsAccess) {
  json routes = json::array();
  for (const auto& route : PublicRoutes()) {
    routes.push_back({{"method", http::ToString(route.method)}, {"path", route.path}, {"access", AccessOf(route.access)}});
  }
  ASSERT_GT(routes.size(), 10u);
  EXPECT_EQ(RunChecker("routes", kContracts + "/openapi.yaml", routes), 0);
}

TEST(Contracts, EveryEmittedEventMatchesItsSchema) {
  System& system = System::Shared();
  EventTap tap(system, {"identity", "catalog", "stock", "payment", "order"});

  // Make every kind of event happen.
  const auto admin = system.SignInAdmin();
  const auto customer = system.RegisterCustomer();
  auto tokens = system.SignIn(customer.email, customer.password);
  const Reply profile = system.Send({.method = "PATCH",
                                     .path = "/api/v1/identity/users/me",
                                     .body = json{{"phone", nullptr}, {"channels", json::array({"EMAIL"})}},
                                     .token = tokens.access});
  ASSERT_EQ(profile.status, 200) << profile.Describe();
  const std::string user = "/api/v1/identity/users/" + customer.id;
  ASSERT_EQ(system.Send({.method = "PUT", .path = user + "/roles/OPERATOR", .token = admin.access}).status, 200);
  ASSERT_EQ(system.Send({.method = "DELETE", .path = user + "/roles/OPERATOR", .token = admin.access}).status, 200);
  ASSERT_EQ(system.Send({.method = "POST", .path = "/api/v1/identity/logout", .token = tokens.access}).status, 204);
  tokens = system.SignIn(customer.email, customer.password);
  ASSERT_EQ(system.Send({.method = "POST", .path = user + "/disable", .token = admin.access}).status, 200);
  ASSERT_EQ(system.Send({.method = "POST", .path = user + "/enable", .token = admin.access}).status, 200);
  const auto created = system.Post("/api/v1/catalog/products",
                                   {{"sku", "SKU-" + Unique()}, {"name", "Contract lamp"}, {"price_minor", 1500},
                                    {"currency", "RUB"}, {"tags", {"light"}}, {"dimensions_mm", {{"length", 1}, {"width", 2}, {"height", 3}}}},
                                   admin.access);
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string product = "/api/v1/catalog/products/" + created.body.at("id").get<std::string>();
  ASSERT_EQ(system.Send({.method = "PATCH", .path = product, .body = json{{"price_minor", 1700}}, .token = admin.access}).status,
            200);
  ASSERT_EQ(system.Send({.method = "POST", .path = product + "/archive", .token = admin.access}).status, 200);

  // The saga: paid then cancelled (refund, release), out of stock, not enough money.
  Shop shop(system);
  const std::string lamp = shop.CreateProduct(1000, 2);
  const std::string buyer = shop.NewCustomer(1000);
  const Reply paid = shop.PlaceOrder(buyer, {{lamp, 1}}, "contracts-" + Unique());
  ASSERT_EQ(paid.status, 202) << paid.Describe();
  shop.WaitForOrder(buyer, paid.body["id"], {"PAID"});
  ASSERT_EQ(shop.Cancel(buyer, paid.body["id"]).status, 200);
  shop.WaitForOrder(buyer, paid.body["id"], {"CANCELLED"},
                    [](const json& o) { return o.value("refunded", false) && o.value("stock_released", false); });
  const Reply too_many = shop.PlaceOrder(buyer, {{lamp, 3}}, "contracts-" + Unique());
  ASSERT_EQ(too_many.status, 202) << too_many.Describe();
  shop.WaitForOrder(buyer, too_many.body["id"], {"CANCELLED"});
  const std::string poor = shop.NewCustomer(0);
  const Reply unpaid = shop.PlaceOrder(poor, {{lamp, 1}}, "contracts-" + Unique());
  ASSERT_EQ(unpaid.status, 202) << unpaid.Describe();
  shop.WaitForOrder(poor, unpaid.body["id"], {"CANCELLED"});

  const std::set<std::string> expected = {
      "UserRegistered",   "CustomerProfileUpdated", "UserRolesChanged",   "UserDisabled",    "UserEnabled",
      "TokenRevoked",     "ProductCreated",         "ProductUpdated",     "ProductPriceChanged", "ProductArchived",
      "OrderCreated",     "OrderStatusChanged",     "OrderCancelled",     "StockReserved",   "StockReservationFailed",
      "StockReleased",    "StockLevelChanged",      "PaymentSucceeded",   "PaymentFailed",   "PaymentRefunded"};
  std::set<std::string> seen;
  const auto& events = tap.CollectUntil([&](const std::vector<json>& all) {
    seen.clear();
    for (const auto& event : all) seen.insert(event.value("type", ""));
    return seen == expected;
  });
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(RunChecker("events", kContracts + "/asyncapi.yaml", json(events)), 0);
}

}  // namespace
}  // namespace microstore::e2e
