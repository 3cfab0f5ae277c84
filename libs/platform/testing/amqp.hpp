#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "platform/testing/process.hpp"

// Helpers for tests against RabbitMQ (`*_amqptest.cpp`).
namespace microstore::testing {

// The shared test broker (MICROSTORE_TEST_AMQP_URL, set by `./microstore test`).
std::string AmqpUrl();

// `prefix` plus a random suffix, for queue, exchange and service names no other test uses.
std::string UniqueName(const std::string& prefix);

// One request to the test broker's management HTTP API (MICROSTORE_TEST_AMQP_MGMT_URL) as the
// test user; `path` is below /api/, e.g. "exchanges/<vhost>/<name>".
SimpleResponse ManagementRequest(const std::string& method, const std::string& path, const std::string& body = "");

// A virtual host of its own on the test broker, deleted (with everything in it) on destruction:
// for tests that run whole services, whose exchange and queue names are fixed
// (microstore.identity, microstore.gateway), so that they cannot meet another test's. Created
// through the management API (MICROSTORE_TEST_AMQP_MGMT_URL), with the test user's permissions.
class TempVhost {
 public:
  TempVhost();
  ~TempVhost();
  TempVhost(const TempVhost&) = delete;
  TempVhost& operator=(const TempVhost&) = delete;

  const std::string& name() const { return name_; }
  // MICROSTORE_TEST_AMQP_URL with this virtual host.
  const std::string& url() const { return url_; }

 private:
  std::string name_;
  std::string url_;
};

// Deletes, when destroyed, what the named consumers and producers declared on the broker.
// Destroy it after the Consumer and Publisher objects (declare it first), or they declare again.
class AmqpCleanup {
 public:
  explicit AmqpCleanup(std::string url) : url_(std::move(url)) {}
  ~AmqpCleanup();
  AmqpCleanup(const AmqpCleanup&) = delete;
  AmqpCleanup& operator=(const AmqpCleanup&) = delete;

  // QueueOf(name), its retry queues for `retry_delays` and its dead-letter queue.
  void Consumer(const std::string& name, const std::vector<std::chrono::milliseconds>& retry_delays);
  // ExchangeOf(name).
  void Producer(const std::string& name);

 private:
  std::string url_;
  std::vector<std::string> queues_;
  std::vector<std::string> exchanges_;
};

}  // namespace microstore::testing
