#include "platform/testing/service_process.hpp"

#include <signal.h>

#include "platform/amqp/consumer.hpp"

namespace microstore::testing {
namespace {

using namespace std::chrono_literals;

// Appends to `failure` a line for each of `names` missing from `output`.
void ExpectNamed(const std::string& output, const std::vector<std::string>& names, const std::string& quote,
                 std::string& failure) {
  for (const auto& name : names) {
    if (output.find(quote + name + quote) == std::string::npos) failure += name + " is not named\n";
  }
}

::testing::AssertionResult Verdict(const std::string& failure, const std::string& output) {
  if (failure.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << failure << "output:\n" << output;
}

std::string ExitText(const std::optional<int>& code) {
  return code ? "exit code " + std::to_string(*code) : std::string("still running");
}

}  // namespace

std::map<std::string, std::string> ServiceProcessTest::Environment() const {
  return {{"MICROSTORE_HTTP_PORT", std::to_string(port_)},
          {"MICROSTORE_DB_URL", database_.url()},
          {"MICROSTORE_AMQP_URL", vhost_.url()},
          {"MICROSTORE_LOG_LEVEL", "info"},
          {"MICROSTORE_JWT_PUBLIC_KEYS", "k1:" + keys_.public_key}};
}

std::string ServiceProcessTest::Token(const std::string& subject, auth::RoleSet roles) const {
  const auto now = std::chrono::system_clock::now();
  return signer_.Sign({subject, roles, "jti", "microstore-identity", now, now + 5min});
}

std::string ServiceProcessTest::Bearer(const std::string& subject, auth::RoleSet roles) const {
  return "Authorization: Bearer " + Token(subject, roles) + "\r\n";
}

SimpleResponse ServiceProcessTest::Send(const std::string& method, const std::string& target,
                                        const std::string& body, const std::string& headers) const {
  return HttpRequest(port_, method, target, body, headers);
}

SimpleResponse ServiceProcessTest::Get(const std::string& target, const std::string& headers) const {
  return Send("GET", target, "", headers);
}

std::string ServiceProcessTest::Sql(const std::string& query) const {
  return QueryValueSync(database_.url(), query);
}

void ServiceProcessTest::Publish(const messaging::Envelope& event) const {
  amqp::QueueAdmin admin(vhost_.url());
  admin.Publish({.exchange = amqp::ExchangeOf(event.producer),
                 .routing_key = event.type,
                 .message_id = event.id,
                 .type = event.type,
                 .correlation_id = event.correlation_id,
                 .body = messaging::ToJson(event),
                 .headers = {}});
}

::testing::AssertionResult HelpNames(const std::string& binary, const std::vector<std::string>& variables) {
  ChildProcess help(binary, {"--help"}, {{"MICROSTORE_AMQP_URL", ""}});
  const auto code = help.Wait(10s);
  std::string failure = code == 0 ? "" : "--help ended with " + ExitText(code) + ", not 0\n";
  ExpectNamed(help.Output(), variables, "`", failure);
  return Verdict(failure, help.Output());
}

::testing::AssertionResult RefusesToStartNaming(const std::string& binary,
                                                const std::map<std::string, std::string>& environment,
                                                const std::vector<std::string>& variables) {
  ChildProcess process(binary, {}, environment);
  const auto code = process.Wait(10s);
  std::string failure = code == 2 ? "" : "ended with " + ExitText(code) + ", not 2\n";
  ExpectNamed(process.Output(), variables, "", failure);
  return Verdict(failure, process.Output());
}

::testing::AssertionResult BecomesReady(const ChildProcess& process, unsigned short port) {
  if (WaitForHttpStatus(port, "/health/ready", 200, 60s)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "not ready within 60 s; output:\n" << process.Output();
}

::testing::AssertionResult StopsCleanly(ChildProcess& process) {
  process.Signal(SIGTERM);
  const auto code = process.Wait(30s);
  if (code == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "after SIGTERM: " << ExitText(code) << ", not 0; output:\n"
                                       << process.Output();
}

}  // namespace microstore::testing
