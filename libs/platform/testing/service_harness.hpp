#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/auth/roles.hpp"
#include "platform/migrations/migration.hpp"

namespace microstore::http {
class Router;
}
namespace microstore::pg {
class Pool;
}

// A service's routes tested in-process: served over real HTTP on a loopback port, backed by a
// fresh migrated database on the test cluster (MICROSTORE_TEST_PG_URL), with real token
// verification. Requests are blocking, from the test's thread; the server runs on a thread of its
// own.
namespace microstore::testing {

// Applies the messaging tables (outbox, inbox, dead letters) and then `service` to the database,
// as a service's start-up does.
boost::asio::awaitable<void> Migrate(pg::Pool& pool, std::vector<migrations::Migration> service);
// The same on a connection of its own to `url`; blocks until done.
void MigrateSync(const std::string& url, const std::vector<migrations::Migration>& service);

struct Reply {
  int status = 0;
  nlohmann::json body;                         // parsed when the body is JSON, else null
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string text;

  std::string Header(const std::string& name) const;  // "" when absent
  std::vector<std::string> ErrorFields() const;       // the `field` of each entry of a problem's `errors`
};

struct OutboxEvent {
  std::string event_id;
  std::string type;
  nlohmann::json envelope;
};

class ServiceHarness {
 public:
  // Adds the service's routes to `router`, their store being `pool` (of the test database).
  using RouteRegistrar = std::function<void(http::Router& router, pg::Pool& pool)>;

  struct Options {
    std::string subject = "user-1";  // of Token(roles) and Bearer(roles)
  };

  // Migrates a fresh database (Migrate) and serves the routes `register_routes` adds.
  ServiceHarness(std::vector<migrations::Migration> migrations, RouteRegistrar register_routes);
  ServiceHarness(std::vector<migrations::Migration> migrations, RouteRegistrar register_routes,
                 Options options);
  ~ServiceHarness();
  ServiceHarness(const ServiceHarness&) = delete;
  ServiceHarness& operator=(const ServiceHarness&) = delete;

  // `headers` are added as they are ("Name: value" lines without CRLF). A hung server fails the
  // request after 30 s instead of hanging the test.
  Reply Send(const std::string& method, const std::string& target, const std::string& body = "",
             const std::vector<std::string>& headers = {});
  Reply Get(const std::string& target, const std::vector<std::string>& headers = {});
  // The body as JSON, with its Content-Type.
  Reply SendJson(const std::string& method, const std::string& target, const nlohmann::json& body,
                 std::vector<std::string> headers = {});
  Reply Post(const std::string& target, const nlohmann::json& body, std::vector<std::string> headers = {});

  // A token valid for five minutes of `subject` (Options::subject when not given) holding `roles`.
  std::string Token(auth::RoleSet roles) const;
  std::string Token(const std::string& subject, auth::RoleSet roles) const;
  // The same as an Authorization header line.
  std::string Bearer(auth::RoleSet roles) const;
  std::string Bearer(const std::string& subject, auth::RoleSet roles) const;

  // Events in the outbox, oldest first; only those of `type` unless it is empty.
  std::vector<OutboxEvent> OutboxEvents(const std::string& type = "") const;
  // The first column of the first row of `query` ("" when no row).
  std::string Sql(const std::string& query) const;
  // Runs a statement that returns no rows; throws std::runtime_error when it fails.
  void Exec(const std::string& statement) const;
  const std::string& DatabaseUrl() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace microstore::testing
