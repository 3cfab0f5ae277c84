#include "platform/testing/amqp.hpp"

#include <gtest/gtest.h>

#include "platform/amqp/consumer.hpp"
#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"
#include "platform/testing/process.hpp"
#include "platform/testing/testing.hpp"

namespace microstore::testing {

std::string AmqpUrl() { return RequireEnv("MICROSTORE_TEST_AMQP_URL"); }

std::string UniqueName(const std::string& prefix) { return prefix + "-" + core::NewUuid().substr(0, 8); }

namespace {

std::string UserOf(const std::string& amqp_url) {
  const auto scheme_end = amqp_url.find("://") + 3;
  return amqp_url.substr(scheme_end, amqp_url.find(':', scheme_end) - scheme_end);
}

void Expect2xx(const SimpleResponse& response, const std::string& what) {
  if (response.status < 200 || response.status >= 300) {
    throw std::runtime_error(what + ": HTTP " + std::to_string(response.status) + " " + response.body);
  }
}

}  // namespace

SimpleResponse ManagementRequest(const std::string& method, const std::string& path, const std::string& body) {
  // The port of MICROSTORE_TEST_AMQP_MGMT_URL; the user and password of the AMQP URL.
  const std::string url = RequireEnv("MICROSTORE_TEST_AMQP_MGMT_URL");
  const auto port = static_cast<unsigned short>(std::stoi(url.substr(url.rfind(':') + 1)));
  const std::string amqp_url = AmqpUrl();  // amqp://user:password@host:port/vhost
  const auto scheme_end = amqp_url.find("://") + 3;
  const std::string credentials = amqp_url.substr(scheme_end, amqp_url.find('@', scheme_end) - scheme_end);
  return HttpRequest(port, method, "/api/" + path, body,
                     "Authorization: Basic " + core::Base64Encode(credentials) + "\r\n");
}

TempVhost::TempVhost() : name_(UniqueName("test")) {
  Expect2xx(ManagementRequest("PUT", "vhosts/" + name_, "{}"), "creating vhost " + name_);
  Expect2xx(ManagementRequest("PUT", "permissions/" + name_ + "/" + UserOf(AmqpUrl()),
                              R"({"configure":".*","write":".*","read":".*"})"),
            "granting vhost " + name_);
  const std::string base = AmqpUrl();
  url_ = base.substr(0, base.rfind('/') + 1) + name_;
}

TempVhost::~TempVhost() { ManagementRequest("DELETE", "vhosts/" + name_); }

void AmqpCleanup::Consumer(const std::string& name,
                           const std::vector<std::chrono::milliseconds>& retry_delays) {
  queues_.push_back(amqp::QueueOf(name));
  for (const auto delay : retry_delays) queues_.push_back(amqp::RetryQueueOf(name, delay.count()));
  queues_.push_back(amqp::DeadLetterQueueOf(name));
}

void AmqpCleanup::Producer(const std::string& name) { exchanges_.push_back(amqp::ExchangeOf(name)); }

AmqpCleanup::~AmqpCleanup() {
  try {
    amqp::QueueAdmin admin(url_);
    for (const auto& queue : queues_) admin.DeleteQueue(queue);
    for (const auto& exchange : exchanges_) admin.DeleteExchange(exchange);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cleaning up the broker: " << e.what();
  }
}

}  // namespace microstore::testing
