#include "harness.hpp"

#include <gtest/gtest.h>

#include "catalog/api/routes.hpp"
#include "catalog/infra/migrations.hpp"
#include "platform/messaging/outbox.hpp"

namespace microstore::catalog::testing {
namespace {

// Outlives every server: the routes keep a reference to it.
const messaging::Outbox& TestOutbox() {
  static const messaging::Outbox outbox("catalog", "catalog-test-node");
  return outbox;
}

}  // namespace

CatalogServer::CatalogServer()
    : ServiceHarness(Migrations(), [](http::Router& router, pg::Pool& pool) {
        api::RegisterRoutes(router, pool, TestOutbox());
      }) {}

Reply CatalogServer::AdminPost(const std::string& target, const nlohmann::json& body,
                               std::vector<std::string> headers) {
  headers.push_back(Bearer({auth::Role::kAdmin}));
  return SendJson("POST", target, body, std::move(headers));
}

Reply CatalogServer::AdminPatch(const std::string& target, const nlohmann::json& body,
                                std::vector<std::string> headers) {
  headers.push_back(Bearer({auth::Role::kAdmin}));
  return SendJson("PATCH", target, body, std::move(headers));
}

nlohmann::json CatalogServer::Create(const nlohmann::json& body) {
  const Reply reply = AdminPost("/api/v1/products", body);
  EXPECT_EQ(reply.status, 201) << reply.text;
  return reply.body;
}

nlohmann::json ProductBody(const std::string& sku, const std::string& name, std::int64_t price_minor,
                           const std::string& description) {
  return {{"sku", sku},        {"name", name},    {"description", description}, {"price_minor", price_minor},
          {"currency", "RUB"}, {"tags", {"test"}}};
}

}  // namespace microstore::catalog::testing
