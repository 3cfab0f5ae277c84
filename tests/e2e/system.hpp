#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/auth/keys.hpp"
#include "platform/testing/amqp.hpp"
#include "platform/testing/process.hpp"
#include "platform/testing/testing.hpp"

// The whole system for end-to-end tests: identity, catalog, stock, payment, two replicas of order
// (sharing one database) and the gateway, started as real processes (the binaries `./microstore
// up` runs) on free ports, each service with its own temporary database on the test PostgreSQL
// and all on a virtual host of their own on the test RabbitMQ. Tests talk to it only through the
// gateway, as a browser or a shop's client would; they may stop and restart a service to see the
// saga survive it, and watch or inject events on the broker.
namespace microstore::e2e {

// One answer from the gateway.
struct Reply {
  int status = 0;
  std::string text;
  nlohmann::json body;  // the body parsed as JSON; null when it is not JSON
  std::vector<std::pair<std::string, std::string>> headers;

  std::string Header(std::string_view name) const;
  // For assertion messages: status and body.
  std::string Describe() const;
};

// A request as a test builds it; `body` is sent as JSON unless `raw_body` is set.
struct Call {
  std::string method = "GET";
  std::string path;
  std::optional<nlohmann::json> body = {};
  std::optional<std::string> raw_body = {};
  std::string token = {};                                        // sent as Authorization: Bearer
  std::vector<std::pair<std::string, std::string>> headers = {};  // extra headers
};

struct TokenPair {
  std::string access;
  std::string refresh;
};

class System {
 public:
  // The system shared by the tests of one test binary, started on first use.
  static System& Shared();

  System();
  ~System();
  System(const System&) = delete;
  System& operator=(const System&) = delete;

  Reply Send(const Call& call) const;
  Reply Get(const std::string& path, const std::string& token = "") const;
  Reply Post(const std::string& path, const nlohmann::json& body, const std::string& token = "") const;

  // Registers a customer with a fresh e-mail and answers its credentials and user id.
  struct Customer {
    std::string id;
    std::string email;
    std::string password;
  };
  Customer RegisterCustomer(const std::string& name_hint = "customer") const;
  TokenPair SignIn(const std::string& email, const std::string& password) const;
  TokenPair SignInAdmin() const;

  // Signs a token with the system's private key, for tests of expiry and roles no user holds.
  std::string SignToken(const std::string& subject, const std::vector<std::string>& roles,
                        std::chrono::system_clock::time_point expires_at) const;

  // Starts one more gateway in front of the same services with `environment` on top of the
  // usual one, and answers its port; it stops with the system.
  unsigned short StartGateway(const std::map<std::string, std::string>& environment);

  // Stops a service process (SIGTERM, waits for its exit) / starts it again with the same
  // environment and port, waiting until it is ready. Names: identity, catalog, stock, payment,
  // order-1, order-2, gateway.
  void Stop(const std::string& name);
  void Restart(const std::string& name);
  // The service's own port (its /metrics and /health are not reachable through the gateway).
  unsigned short PortOf(const std::string& name) const;

  unsigned short gateway_port() const { return gateway_port_; }
  const std::string& admin_email() const { return admin_email_; }
  const std::string& amqp_url() const { return vhost_.url(); }
  const std::string& vhost() const { return vhost_.name(); }
  const std::string& catalog_db() const { return catalog_db_.url(); }
  const std::string& identity_db() const { return identity_db_.url(); }
  const std::string& order_db() const { return order_db_.url(); }

  // The allowed CORS origin of the shared gateway.
  static constexpr const char* kStorefrontOrigin = "http://shop.test";

 private:
  struct Process {
    std::string name;
    std::string binary;
    unsigned short port = 0;
    std::map<std::string, std::string> environment;
    std::unique_ptr<testing::ChildProcess> child;
  };
  void Start(const std::string& name, const std::string& binary, unsigned short port,
             std::map<std::string, std::string> environment);
  static void Launch(Process& process);
  Process& Find(const std::string& name);
  std::map<std::string, std::string> GatewayEnvironment() const;

  testing::TempVhost vhost_;
  testing::TempDatabase identity_db_;
  testing::TempDatabase catalog_db_;
  testing::TempDatabase gateway_db_;
  testing::TempDatabase stock_db_;
  testing::TempDatabase payment_db_;
  testing::TempDatabase order_db_;
  auth::GeneratedKeyPair keys_ = auth::GenerateKeyPair("e2e");
  std::string admin_email_ = "admin@microstore.test";
  std::string admin_password_;
  unsigned short identity_port_ = testing::FreePort();
  unsigned short catalog_port_ = testing::FreePort();
  unsigned short gateway_port_ = testing::FreePort();
  unsigned short stock_port_ = testing::FreePort();
  unsigned short payment_port_ = testing::FreePort();
  unsigned short order_ports_[2] = {testing::FreePort(), testing::FreePort()};
  std::vector<Process> processes_;
};

// A unique suffix for e-mails, SKUs and names, so tests sharing the system never collide.
std::string Unique();

// A queue of its own on the system's virtual host, bound to every event of the given producers'
// exchanges (created at construction, so it sees what is published afterwards), read through the
// broker's management API.
class EventTap {
 public:
  EventTap(const System& system, const std::vector<std::string>& producers);
  ~EventTap();
  EventTap(const EventTap&) = delete;
  EventTap& operator=(const EventTap&) = delete;

  // The envelopes that arrived since the last call, oldest first.
  std::vector<nlohmann::json> Take();
  // Everything taken so far plus what arrives, until `done(all)` holds or `timeout` passes.
  const std::vector<nlohmann::json>& CollectUntil(
      const std::function<bool(const std::vector<nlohmann::json>&)>& done,
      std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  const System& system_;
  std::string queue_;
  std::vector<nlohmann::json> seen_;
};

// Publishes `envelope` to its producer's exchange as the producer's relay would (message id,
// type, persistent), through the management API: to replay or forge events in tests.
void PublishEvent(const System& system, const nlohmann::json& envelope);

}  // namespace microstore::e2e
