// A consuming service (the real microstore-order binary) told to stop while it is busy: a replay
// going through a long dead-letter queue, a backlog of events being consumed, a stop hook that
// hangs. The bounds asserted are upper bounds on a stop, not measures of speed.
#include <gtest/gtest.h>
#include <signal.h>

#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "platform/amqp/consumer.hpp"
#include "platform/core/ids.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/testing/service_process.hpp"

namespace microstore {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::ChildProcess;

constexpr auto kGrace = 2s;
constexpr auto kStopTimeout = 8s;
constexpr auto kMargin = 2s;

class StoppingOrder : public testing::ServiceProcessTest {
 protected:
  std::map<std::string, std::string> Settings() const {
    auto environment = Environment();
    environment["MICROSTORE_LOG_LEVEL"] = "warn";
    environment["MICROSTORE_SHUTDOWN_GRACE"] = std::to_string(kGrace.count()) + "s";
    environment["MICROSTORE_STOP_TIMEOUT"] = std::to_string(kStopTimeout.count()) + "s";
    return environment;
  }

  // Publishes `count` messages with `body_of(i)` straight into `queue`, in batches.
  void Fill(const std::string& queue, int count, const std::function<std::string(int)>& body_of) const {
    amqp::QueueAdmin admin(vhost_.url());
    for (int first = 0; first < count; first += 2000) {
      std::vector<amqp::OutgoingMessage> batch;
      for (int i = first; i < std::min(count, first + 2000); ++i) {
        batch.push_back({.exchange = "",
                         .routing_key = queue,
                         .message_id = core::NewUuid(),
                         .type = "ProductCreated",
                         .correlation_id = "",
                         .body = body_of(i),
                         .headers = {}});
      }
      admin.Publish(batch);
    }
  }

  std::size_t Ready(const std::string& queue) const {
    return amqp::QueueAdmin(vhost_.url()).MessageCount(queue);
  }

  // SIGTERM, then the exit code if the process ended within the stop timeout and a margin.
  static std::optional<int> Terminate(ChildProcess& process) {
    process.Signal(SIGTERM);
    return process.Wait(kStopTimeout + kMargin);
  }
};

TEST_F(StoppingOrder, AStopTimeoutNotLongerThanTheGraceIsRefused) {
  auto environment = Settings();
  environment["MICROSTORE_SHUTDOWN_GRACE"] = "10s";
  environment["MICROSTORE_STOP_TIMEOUT"] = "10s";
  EXPECT_TRUE(
      testing::RefusesToStartNaming(MICROSTORE_ORDER_BINARY, environment, {"MICROSTORE_STOP_TIMEOUT"}));
  EXPECT_TRUE(
      testing::HelpNames(MICROSTORE_ORDER_BINARY, {"MICROSTORE_STOP_TIMEOUT", "MICROSTORE_SHUTDOWN_GRACE"}));
}

// The replay looks for an id nobody has, so it goes through the whole queue: far longer than
// the grace period, unless the stop cuts it short.
TEST_F(StoppingOrder, SigtermEndsAReplayThatIsGoingThroughALongDeadLetterQueue) {
  ChildProcess order(MICROSTORE_ORDER_BINARY, {}, Settings());
  ASSERT_TRUE(testing::BecomesReady(order, port_));
  const std::string dead = amqp::DeadLetterQueueOf("order");
  constexpr int kParked = 30'000;
  Fill(dead, kParked, [](int i) { return "poison " + std::to_string(i); });
  ASSERT_EQ(Ready(dead), static_cast<std::size_t>(kParked));

  const std::string operator_token = Bearer(core::NewUuid(), {auth::Role::kOperator});
  const unsigned short port = port_;
  auto replay = std::async(std::launch::async, [port, operator_token] {
    return testing::HttpRequest(port, "POST", "/api/v1/admin/dead-letters/" + core::NewUuid() + "/replay", "",
                                operator_token);
  });
  ASSERT_TRUE(testing::Eventually([&] { return Ready(dead) < kParked; }, 30s)) << "the replay did not start";

  const auto started = std::chrono::steady_clock::now();
  const auto code = Terminate(order);
  EXPECT_EQ(code, 0) << "after SIGTERM the process "
                     << (code ? "ended with " + std::to_string(*code) : std::string("was still running"))
                     << "; output:\n"
                     << order.Output();
  const auto answer = replay.get();
  EXPECT_EQ(answer.status, 200) << "the replay answers what it did: " << answer.body;
  std::cout << "stopped "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                     started)
                   .count()
            << " ms after SIGTERM; replay answered " << answer.body << "\n";
  EXPECT_TRUE(testing::Eventually([&] { return Ready(dead) == kParked; }))
      << "lost: " << kParked - Ready(dead);
}

TEST_F(StoppingOrder, SigtermEndsConsumingABacklog) {
  ChildProcess order(MICROSTORE_ORDER_BINARY, {}, Settings());
  ASSERT_TRUE(testing::BecomesReady(order, port_));
  constexpr int kEvents = 3000;
  Fill(amqp::QueueOf("order"), kEvents, [](int i) {
    const std::string product = core::NewUuid();
    return messaging::ToJson(messaging::MakeEvent("ProductCreated", 1, {"product", product, 1, "ACTIVE"},
                                                  {{"product_id", product},
                                                   {"sku", "BACKLOG-" + std::to_string(i)},
                                                   {"name", "Chair " + std::to_string(i)},
                                                   {"price_minor", 1000 + i},
                                                   {"currency", "RUB"},
                                                   {"archived", false},
                                                   {"version", 1}},
                                                  {"corr-backlog", "", ""}, "catalog", "catalog-test",
                                                  core::NewUuid(), std::chrono::system_clock::now()));
  });
  ASSERT_TRUE(testing::Eventually([&] { return Sql("SELECT count(*) FROM product_copies") != "0"; }, 60s))
      << order.Output();

  const std::string consumed = Sql("SELECT count(*) FROM product_copies");
  const auto code = Terminate(order);
  EXPECT_EQ(code, 0) << "after SIGTERM the process "
                     << (code ? "ended with " + std::to_string(*code) : std::string("was still running"))
                     << "; output:\n"
                     << order.Output();
  std::cout << "SIGTERM after " << consumed << " of " << kEvents << " events; "
            << Sql("SELECT count(*) FROM product_copies") << " applied when stopped\n";
}

// Whatever blocks a shutdown (here a fault that hangs the event loop before the stop hooks),
// the process ends once MICROSTORE_STOP_TIMEOUT has passed, saying so, with exit code 1.
TEST_F(StoppingOrder, AShutdownThatHangsIsEndedByTheStopTimeout) {
  auto environment = Settings();
  environment["MICROSTORE_FAULTS"] = "runtime.stop_hooks:hang";
  ChildProcess order(MICROSTORE_ORDER_BINARY, {}, environment);
  ASSERT_TRUE(testing::BecomesReady(order, port_));
  const auto code = Terminate(order);
  EXPECT_EQ(code, 1) << (code ? "exit code " + std::to_string(*code) : std::string("still running"))
                     << "; output:\n"
                     << order.Output();
  EXPECT_NE(order.Output().find("shutdown did not finish within MICROSTORE_STOP_TIMEOUT"), std::string::npos)
      << order.Output();
}

}  // namespace
}  // namespace microstore
