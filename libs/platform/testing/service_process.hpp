#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "platform/auth/jwt.hpp"
#include "platform/auth/keys.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/testing/amqp.hpp"
#include "platform/testing/process.hpp"
#include "platform/testing/testing.hpp"

// A service's binary run as an operator runs it (`*_amqptest.cpp`): configuration errors, --help,
// start-up against a real database and broker, and a clean stop on SIGTERM.
namespace microstore::testing {

// A fixture with what a service process needs of its own: a database, a virtual host on the test
// broker, a free port and a signing key whose public half the service trusts.
class ServiceProcessTest : public ::testing::Test {
 protected:
  // The settings every service reads: MICROSTORE_HTTP_PORT, _DB_URL, _AMQP_URL, _JWT_PUBLIC_KEYS
  // and _LOG_LEVEL=info.
  std::map<std::string, std::string> Environment() const;

  // A token valid for five minutes of `subject` holding `roles`, signed with the trusted key.
  std::string Token(const std::string& subject, auth::RoleSet roles) const;
  // The same as an Authorization header line ending in CRLF (HttpRequest's extra_headers).
  std::string Bearer(const std::string& subject, auth::RoleSet roles) const;

  // A request to the service on port_ (HttpRequest).
  SimpleResponse Send(const std::string& method, const std::string& target, const std::string& body = "",
                      const std::string& headers = "") const;
  SimpleResponse Get(const std::string& target, const std::string& headers = "") const;
  // The first column of the first row of `query` on the service's database ("" when no row).
  std::string Sql(const std::string& query) const;
  // Publishes `event` on its producer's exchange as the producer's relay would.
  void Publish(const messaging::Envelope& event) const;

  auth::GeneratedKeyPair keys_ = auth::GenerateKeyPair("k1");
  auth::Signer signer_ = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys_.seed));
  TempDatabase database_;
  TempVhost vhost_;
  unsigned short port_ = FreePort();
};

// `binary --help`, even with MICROSTORE_AMQP_URL empty, exits 0 within 10 s and names each of
// `variables` (written `NAME` in the help text).
::testing::AssertionResult HelpNames(const std::string& binary, const std::vector<std::string>& variables);

// `binary` started with `environment` exits with 2 within 10 s and its output names each of
// `variables`.
::testing::AssertionResult RefusesToStartNaming(const std::string& binary,
                                                const std::map<std::string, std::string>& environment,
                                                const std::vector<std::string>& variables);

// `process` answers 200 on GET /health/ready at `port` within 60 s. The failure shows its output.
::testing::AssertionResult BecomesReady(const ChildProcess& process, unsigned short port);

// SIGTERM makes `process` exit with 0 within 30 s. The failure shows its output.
::testing::AssertionResult StopsCleanly(ChildProcess& process);

}  // namespace microstore::testing
