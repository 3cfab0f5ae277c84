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

// The test broker's management API for one kind of object of the system's virtual host.
std::string In(const System& system, const std::string& kind, const std::string& name) {
  return kind + "/" + system.vhost() + "/" + name;
}

testing::SimpleResponse Manage(const std::string& method, const std::string& path, const json& body = nullptr) {
  return testing::ManagementRequest(method, path, body.is_null() ? "" : body.dump());
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
  // Exchanges exist once the producers' publishers connected.
  for (const std::string exchange : {"microstore.identity", "microstore.catalog"}) {
    bool declared = false;
    for (int i = 0; i < 100 && !declared; ++i, std::this_thread::sleep_for(100ms)) {
      declared = Manage("GET", In(system, "exchanges", exchange)).status == 200;
    }
    ASSERT_TRUE(declared) << exchange;
  }
  ASSERT_LT(Manage("PUT", In(system, "queues", "e2e.capture"), json::object()).status, 300);
  for (const std::string exchange : {"microstore.identity", "microstore.catalog"}) {
    const auto bound = Manage("POST", "bindings/" + system.vhost() + "/e/" + exchange + "/q/e2e.capture",
                                   {{"routing_key", "#"}});
    ASSERT_LT(bound.status, 300) << bound.body;
  }

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

  const std::set<std::string> expected = {"UserRegistered", "CustomerProfileUpdated", "UserRolesChanged", "UserDisabled",
                                          "UserEnabled",    "TokenRevoked",           "ProductCreated",   "ProductUpdated",
                                          "ProductPriceChanged", "ProductArchived"};
  json events = json::array();
  std::set<std::string> seen;
  for (int i = 0; i < 150 && seen != expected; ++i, std::this_thread::sleep_for(100ms)) {
    const auto got = Manage("POST", In(system, "queues", "e2e.capture") + "/get",
                                 {{"count", 10000}, {"ackmode", "ack_requeue_false"}, {"encoding", "auto"}});
    ASSERT_EQ(got.status, 200) << got.body;
    for (const auto& message : json::parse(got.body)) {
      json event = json::parse(message.at("payload").get<std::string>(), nullptr, false);
      ASSERT_FALSE(event.is_discarded()) << message.dump();
      seen.insert(event.value("type", ""));
      events.push_back(std::move(event));
    }
  }
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(RunChecker("events", kContracts + "/asyncapi.yaml", events), 0);
}

}  // namespace
}  // namespace microstore::e2e
