#include "testing/amqp.hpp"

#include <gtest/gtest.h>

#include "amqp/consumer.hpp"
#include "core/ids.hpp"
#include "testing/testing.hpp"

namespace microstore::testing {

std::string AmqpUrl() { return RequireEnv("MICROSTORE_TEST_AMQP_URL"); }

std::string UniqueName(const std::string& prefix) { return prefix + "-" + core::NewUuid().substr(0, 8); }

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
