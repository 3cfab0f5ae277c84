#include "testing/amqp.hpp"

#include <gtest/gtest.h>

#include "amqp/consumer.hpp"
#include "core/encoding.hpp"
#include "core/ids.hpp"
#include "testing/process.hpp"
#include "testing/testing.hpp"

namespace microstore::testing {

std::string AmqpUrl() { return RequireEnv("MICROSTORE_TEST_AMQP_URL"); }

std::string UniqueName(const std::string& prefix) { return prefix + "-" + core::NewUuid().substr(0, 8); }

namespace {

struct Management {
  unsigned short port = 0;
  std::string authorization;  // an extra header line with the broker's user
};

// The management API's port and credentials: the URL's port, the AMQP URL's user.
Management ManagementApi() {
  const std::string url = RequireEnv("MICROSTORE_TEST_AMQP_MGMT_URL");
  const auto colon = url.rfind(':');
  Management api;
  api.port = static_cast<unsigned short>(std::stoi(url.substr(colon + 1)));
  const std::string amqp_url = AmqpUrl();  // amqp://user:password@host:port/vhost
  const auto scheme_end = amqp_url.find("://") + 3;
  const auto at = amqp_url.find('@', scheme_end);
  const std::string credentials = amqp_url.substr(scheme_end, at - scheme_end);
  api.authorization = "Authorization: Basic " + core::Base64Encode(credentials) + "\r\n";
  return api;
}

std::string UserOf(const std::string& amqp_url) {
  const auto scheme_end = amqp_url.find("://") + 3;
  return amqp_url.substr(scheme_end, amqp_url.find(':', scheme_end) - scheme_end);
}

}  // namespace

TempVhost::TempVhost() : name_(UniqueName("test")) {
  const Management api = ManagementApi();
  const auto created = HttpRequest(api.port, "PUT", "/api/vhosts/" + name_, "{}", api.authorization);
  if (created.status != 201 && created.status != 204) {
    throw std::runtime_error("creating vhost " + name_ + ": HTTP " + std::to_string(created.status) + " " + created.body);
  }
  const auto granted = HttpRequest(api.port, "PUT", "/api/permissions/" + name_ + "/" + UserOf(AmqpUrl()),
                                   R"({"configure":".*","write":".*","read":".*"})", api.authorization);
  if (granted.status != 201 && granted.status != 204) {
    throw std::runtime_error("granting vhost " + name_ + ": HTTP " + std::to_string(granted.status) + " " + granted.body);
  }
  const std::string base = AmqpUrl();
  url_ = base.substr(0, base.rfind('/') + 1) + name_;
}

TempVhost::~TempVhost() {
  const Management api = ManagementApi();
  HttpRequest(api.port, "DELETE", "/api/vhosts/" + name_, "", api.authorization);
}

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
