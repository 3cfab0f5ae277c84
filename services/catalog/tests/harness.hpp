#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/testing/service_harness.hpp"

// The catalogue's routes on a testing::ServiceHarness: real HTTP on a loopback port, a fresh
// migrated database, real token verification.
namespace microstore::catalog::testing {

using microstore::testing::Reply;

class CatalogServer : public microstore::testing::ServiceHarness {
 public:
  CatalogServer();

  // JSON body with an ADMIN token.
  Reply AdminPost(const std::string& target, const nlohmann::json& body,
                  std::vector<std::string> headers = {});
  Reply AdminPatch(const std::string& target, const nlohmann::json& body,
                   std::vector<std::string> headers = {});

  // POSTs the product and returns its JSON (fails the test unless 201).
  nlohmann::json Create(const nlohmann::json& body);
};

// A valid create request: sku and name as given, other fields typical.
nlohmann::json ProductBody(const std::string& sku, const std::string& name, std::int64_t price_minor = 100000,
                           const std::string& description = "");

}  // namespace microstore::catalog::testing
