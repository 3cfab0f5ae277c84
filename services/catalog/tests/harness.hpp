#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "auth/roles.hpp"

// The catalogue's routes served over real HTTP on a loopback port, backed by a fresh migrated
// database on the test cluster (MICROSTORE_TEST_PG_URL), with real token verification. Requests
// are blocking, from the test's thread; the server runs on a thread of its own.
namespace microstore::catalog::testing {

struct Reply {
  int status = 0;
  nlohmann::json body;                         // parsed when the body is JSON, else null
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string text;

  std::string Header(const std::string& name) const;
};

struct StoredEvent {
  std::string type;
  nlohmann::json envelope;
};

class CatalogServer {
 public:
  CatalogServer();
  ~CatalogServer();
  CatalogServer(const CatalogServer&) = delete;
  CatalogServer& operator=(const CatalogServer&) = delete;

  // `headers` are added as they are ("Name: value" lines without CRLF).
  Reply Send(const std::string& method, const std::string& target, const std::string& body = "",
             const std::vector<std::string>& headers = {});
  Reply Get(const std::string& target) { return Send("GET", target); }
  // JSON body with an ADMIN token.
  Reply AdminPost(const std::string& target, const nlohmann::json& body,
                  std::vector<std::string> headers = {});
  Reply AdminPatch(const std::string& target, const nlohmann::json& body,
                   std::vector<std::string> headers = {});

  std::string Token(auth::RoleSet roles) const;
  std::string Bearer(auth::RoleSet roles) const { return "Authorization: Bearer " + Token(roles); }

  // POSTs the product and returns its JSON (fails the test unless 201).
  nlohmann::json Create(const nlohmann::json& body);

  // Events in the outbox, oldest first.
  std::vector<StoredEvent> OutboxEvents() const;
  std::string Sql(const std::string& query) const;
  const std::string& DatabaseUrl() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A valid create request: sku and name as given, other fields typical.
nlohmann::json ProductBody(const std::string& sku, const std::string& name, std::int64_t price_minor = 100000,
                           const std::string& description = "");

}  // namespace microstore::catalog::testing
