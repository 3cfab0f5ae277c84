// "Exactly once in effect" between two real processes, a producer (outbox + relay) and a consumer
// (inbox), over a real PostgreSQL and RabbitMQ, while the processes and the broker are killed.
// The consumer's effect is a counter and a sum that only the inbox keeps from double counting.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "platform/amqp/consumer.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/core/ids.hpp"
#include "platform/testing/private_rabbitmq.hpp"
#include "platform/testing/process.hpp"
#include "platform/testing/testing.hpp"

namespace microstore {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::HttpRequest;
using nlohmann::json;

struct Totals {
  std::int64_t events = 0;
  std::int64_t amount = 0;
  std::int64_t effects = 0;
  std::int64_t distinct_effects = 0;
};

class ExactlyOnce : public ::testing::Test {
 protected:
  ExactlyOnce() : amqp_url_(testing::RequireEnv("MICROSTORE_TEST_AMQP_URL")) {
    std::string id = core::NewUuid().substr(0, 8);
    producer_ = "p" + id;
    consumer_ = "c" + id;
  }

  ~ExactlyOnce() override {
    try {
      amqp::QueueAdmin admin(broker_url());
      for (const auto& queue : {amqp::QueueOf(consumer_), amqp::DeadLetterQueueOf(consumer_),
                                amqp::RetryQueueOf(consumer_, 200), amqp::RetryQueueOf(consumer_, 400)}) {
        admin.DeleteQueue(queue);
      }
    } catch (const std::exception&) {
      // The broker of a test that stopped it may be gone; nothing to clean then.
    }
  }

  const std::string& broker_url() const { return private_broker_url_.empty() ? amqp_url_ : private_broker_url_; }

  std::map<std::string, std::string> CommonEnvironment(const std::string& db_url, unsigned short port) const {
    return {{"MICROSTORE_HTTP_PORT", std::to_string(port)},
            {"MICROSTORE_DB_URL", db_url},
            {"MICROSTORE_AMQP_URL", broker_url()},
            {"MICROSTORE_LOG_LEVEL", "warn"},
            {"MICROSTORE_JWT_PUBLIC_KEYS", "k1:" + keys_.public_key},
            {"TEST_PRODUCER", producer_},
            {"TEST_CONSUMER", consumer_}};
  }

  std::unique_ptr<ChildProcess> StartProducer(const std::string& faults = "", unsigned short port = 0) {
    auto environment = CommonEnvironment(producer_db_.url(), port ? port : producer_port_);
    if (!faults.empty()) environment["MICROSTORE_FAULTS"] = faults;
    auto process = std::make_unique<ChildProcess>(MICROSTORE_TEST_PRODUCER, std::vector<std::string>{}, environment);
    EXPECT_TRUE(testing::WaitForHttpStatus(port ? port : producer_port_, "/health/ready", 200, 60s))
        << process->Output();
    return process;
  }

  std::unique_ptr<ChildProcess> StartConsumer(const std::string& faults = "", bool accept_poison = false) {
    auto environment = CommonEnvironment(consumer_db_.url(), consumer_port_);
    if (!faults.empty()) environment["MICROSTORE_FAULTS"] = faults;
    if (accept_poison) environment["TESTCONSUMER_ACCEPT_POISON"] = "true";
    auto process = std::make_unique<ChildProcess>(MICROSTORE_TEST_CONSUMER, std::vector<std::string>{}, environment);
    EXPECT_TRUE(testing::WaitForHttpStatus(consumer_port_, "/health/ready", 200, 60s)) << process->Output();
    return process;
  }

  void Produce(std::int64_t start, std::int64_t count, const std::string& extra = "", unsigned short port = 0) {
    const auto response = HttpRequest(port ? port : producer_port_, "POST",
                                      "/events?start=" + std::to_string(start) + "&count=" + std::to_string(count) + extra);
    ASSERT_EQ(response.status, 200) << response.body;
  }

  Totals ConsumerTotals() const {
    Totals totals;
    const std::string url = consumer_db_.url();
    totals.events = std::stoll(testing::QueryValueSync(url, "SELECT events FROM totals"));
    totals.amount = std::stoll(testing::QueryValueSync(url, "SELECT amount FROM totals"));
    totals.effects = std::stoll(testing::QueryValueSync(url, "SELECT count(*) FROM effects"));
    totals.distinct_effects = std::stoll(testing::QueryValueSync(url, "SELECT count(DISTINCT event_id) FROM effects"));
    return totals;
  }

  // Waits until the consumer has applied `events` events (the deadline only guards against a hang).
  bool WaitForEvents(std::int64_t events, std::chrono::seconds deadline = 120s) const {
    const auto give_up = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < give_up) {
      if (ConsumerTotals().events >= events) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  std::int64_t Unsent() const {
    return std::stoll(testing::QueryValueSync(producer_db_.url(), "SELECT count(*) FROM outbox WHERE sent_at IS NULL"));
  }

  bool WaitForDrainedOutbox(std::chrono::seconds deadline = 60s) const {
    const auto give_up = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < give_up) {
      if (Unsent() == 0) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  // The sum of the samples of a counter family on the consumer's /metrics whose labels contain
  // `label` (e.g. outcome="duplicate").
  double ConsumerMetric(const std::string& family, const std::string& label) const {
    const auto text = HttpRequest(consumer_port_, "GET", "/metrics").body;
    std::istringstream lines(text);
    std::string line;
    double sum = 0;
    while (std::getline(lines, line)) {
      if (line.rfind(family, 0) != 0) continue;
      const char next = line.size() > family.size() ? line[family.size()] : ' ';
      if (next != '{' && next != ' ') continue;
      if (line.find(label) == std::string::npos) continue;
      sum += std::stod(line.substr(line.rfind(' ') + 1));
    }
    return sum;
  }

  std::string OperatorToken() const {
    auto signer = std::get<auth::Signer>(auth::Signer::FromConfig("k1:" + keys_.seed));
    const auto now = std::chrono::system_clock::now();
    return signer.Sign({"operator-1", {auth::Role::kOperator}, "j", "microstore-identity", now, now + 5min});
  }

  static std::int64_t SumOf(std::int64_t first, std::int64_t count) { return (2 * first + count - 1) * count / 2; }

  std::string amqp_url_;
  std::string private_broker_url_;
  std::string producer_;
  std::string consumer_;
  auth::GeneratedKeyPair keys_ = auth::GenerateKeyPair("k1");
  testing::TempDatabase producer_db_;
  testing::TempDatabase consumer_db_;
  unsigned short producer_port_ = testing::FreePort();
  unsigned short consumer_port_ = testing::FreePort();
};

constexpr const char* kInboxEvents = "inbox_events_total";
constexpr const char* kDuplicate = "outcome=\"duplicate\"";

TEST_F(ExactlyOnce, RolledBackTransactionNeverPublishes) {
  auto consumer = StartConsumer();
  auto producer = StartProducer();
  Produce(0, 5, "&rollback=1");
  Produce(100, 1);  // a committed marker: once it is applied, anything before it would have been too
  ASSERT_TRUE(WaitForEvents(1));
  std::this_thread::sleep_for(300ms);
  const auto totals = ConsumerTotals();
  EXPECT_EQ(totals.events, 1);
  EXPECT_EQ(totals.amount, 100);
  EXPECT_EQ(testing::QueryValueSync(producer_db_.url(), "SELECT count(*) FROM outbox"), "1");
}

TEST_F(ExactlyOnce, RelayKilledBetweenPublishAndMarkSentPublishesAgainWithOneEffect) {
  auto consumer = StartConsumer();
  auto producer = StartProducer("outbox.after_publish:kill");
  Produce(7, 1);
  EXPECT_EQ(producer->Wait(60s), 128 + SIGKILL) << producer->Output();
  EXPECT_EQ(Unsent(), 1);  // published, but the crash came before it was marked sent
  ASSERT_TRUE(WaitForEvents(1));

  producer = StartProducer();  // the new relay publishes the same row again
  ASSERT_TRUE(WaitForDrainedOutbox());
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  while (ConsumerMetric(kInboxEvents, kDuplicate) < 1 && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(ConsumerMetric(kInboxEvents, kDuplicate), 1);  // it did arrive twice
  const auto totals = ConsumerTotals();
  EXPECT_EQ(totals.events, 1);  // and took effect once
  EXPECT_EQ(totals.amount, 7);
}

TEST_F(ExactlyOnce, ConsumerKilledBeforeAckGetsItAgainWithOneEffect) {
  auto consumer = StartConsumer("inbox.after_commit:kill");
  auto producer = StartProducer();
  Produce(9, 1);
  EXPECT_EQ(consumer->Wait(60s), 128 + SIGKILL) << consumer->Output();
  EXPECT_EQ(ConsumerTotals().events, 1);  // committed, never acknowledged

  consumer = StartConsumer();  // the broker redelivers
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  while (ConsumerMetric(kInboxEvents, kDuplicate) < 1 && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(ConsumerMetric(kInboxEvents, kDuplicate), 1);
  const auto totals = ConsumerTotals();
  EXPECT_EQ(totals.events, 1);
  EXPECT_EQ(totals.amount, 9);
}

// A burst queues up faster than the consumer applies it, so it handles the waiting deliveries in
// batches; the second batch dies after its handlers ran, before its commit. Had the fault point
// not been reached (no batch), the consumer would not exit and the test would fail.
TEST_F(ExactlyOnce, ConsumerKilledInTheMiddleOfABatchLosesNothingAndAppliesEachOnce) {
  auto consumer = StartConsumer("inbox.before_batch_commit:kill@2");
  auto producer = StartProducer();
  Produce(0, 2000);
  EXPECT_EQ(consumer->Wait(60s), 128 + SIGKILL) << consumer->Output();
  EXPECT_LT(ConsumerTotals().events, 2000);

  consumer = StartConsumer();  // the broker redelivers what the dead batch held
  ASSERT_TRUE(WaitForEvents(2000)) << ConsumerTotals().events;
  ASSERT_TRUE(WaitForDrainedOutbox());
  const auto totals = ConsumerTotals();
  EXPECT_EQ(totals.events, 2000);
  EXPECT_EQ(totals.amount, SumOf(0, 2000));
  EXPECT_EQ(totals.distinct_effects, 2000);
  EXPECT_EQ(totals.effects, 2000);
}

TEST_F(ExactlyOnce, BrokerRestartMidStreamLosesNothing) {
  testing::PrivateRabbitMq broker;
  private_broker_url_ = broker.Url();
  auto consumer = StartConsumer();
  auto producer = StartProducer();
  Produce(0, 2000);
  broker.Stop();
  Produce(2000, 2000);  // committed to the outbox while the broker is down
  broker.Start();
  Produce(4000, 1000);
  ASSERT_TRUE(WaitForEvents(5000)) << ConsumerTotals().events;
  ASSERT_TRUE(WaitForDrainedOutbox());
  const auto totals = ConsumerTotals();
  EXPECT_EQ(totals.events, 5000);
  EXPECT_EQ(totals.amount, SumOf(0, 5000));
  EXPECT_EQ(totals.distinct_effects, 5000);
}

TEST_F(ExactlyOnce, TwentyThousandEventsThroughRandomKillsTakeEffectExactlyOnce) {
  std::random_device entropy;
  const unsigned seed = entropy();
  std::mt19937 random(seed);
  SCOPED_TRACE("random seed " + std::to_string(seed));
  auto consumer = StartConsumer();
  auto producer = StartProducer();
  constexpr std::int64_t kRounds = 10;
  constexpr std::int64_t kPerRound = 2000;
  for (std::int64_t round = 0; round < kRounds; ++round) {
    Produce(round * kPerRound, kPerRound);
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 400)(random)));
    auto& victim = random() % 2 == 0 ? producer : consumer;
    victim->Signal(SIGKILL);
    victim->Wait(30s);
    victim = &victim == &producer ? StartProducer() : StartConsumer();
  }
  ASSERT_TRUE(WaitForEvents(kRounds * kPerRound, 300s)) << ConsumerTotals().events;
  ASSERT_TRUE(WaitForDrainedOutbox());
  const auto totals = ConsumerTotals();
  EXPECT_EQ(totals.events, kRounds * kPerRound);
  EXPECT_EQ(totals.amount, SumOf(0, kRounds * kPerRound));  // the checksum: no event counted twice or lost
  EXPECT_EQ(totals.effects, kRounds * kPerRound);
  EXPECT_EQ(totals.distinct_effects, kRounds * kPerRound);
}

TEST_F(ExactlyOnce, PoisonEventIsDeadLetteredWithoutBlockingOthersAndReplayedOnce) {
  auto consumer = StartConsumer();
  auto producer = StartProducer();
  Produce(1000, 1, "&poison=1");
  Produce(0, 5);
  ASSERT_TRUE(WaitForEvents(5));  // the events behind the poison one were not held up

  const std::string auth = "Authorization: Bearer " + OperatorToken() + "\r\n";
  json dead;
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < give_up) {
    const auto listed = HttpRequest(consumer_port_, "GET", "/api/v1/admin/dead-letters", "", auth);
    ASSERT_EQ(listed.status, 200) << listed.body;
    dead = json::parse(listed.body);
    if (!dead["items"].empty()) break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(dead["items"].size(), 1u) << dead.dump();
  const json letter = dead["items"][0];
  EXPECT_NE(letter["error"].get<std::string>().find("poison"), std::string::npos) << letter.dump();
  EXPECT_EQ(letter["attempts"], 3);
  EXPECT_EQ(HttpRequest(consumer_port_, "GET", "/api/v1/admin/dead-letters").status, 401);
  EXPECT_EQ(ConsumerTotals().events, 5);

  consumer->Signal(SIGTERM);
  consumer->Wait(30s);
  consumer = StartConsumer("", /*accept_poison=*/true);  // the fix is deployed
  const std::string id = letter["id"];
  const auto replayed =
      HttpRequest(consumer_port_, "POST", "/api/v1/admin/dead-letters/" + id + "/replay", "", auth);
  ASSERT_EQ(replayed.status, 200) << replayed.body;
  ASSERT_TRUE(WaitForEvents(6));
  EXPECT_EQ(
      HttpRequest(consumer_port_, "POST", "/api/v1/admin/dead-letters/" + id + "/replay", "", auth).status,
      404);
  std::this_thread::sleep_for(300ms);
  const auto totals = ConsumerTotals();
  EXPECT_EQ(totals.events, 6);
  EXPECT_EQ(totals.amount, SumOf(0, 5) + 1000);
}

TEST_F(ExactlyOnce, TwoRelaysOnOneOutboxNeverPublishTheSameEvent) {
  auto consumer = StartConsumer();
  auto first = StartProducer();
  const unsigned short second_port = testing::FreePort();
  auto second = StartProducer("", second_port);
  for (int round = 0; round < 10; ++round) Produce(round * 500, 500, "&batch=50", round % 2 ? second_port : 0);
  ASSERT_TRUE(WaitForEvents(5000));
  ASSERT_TRUE(WaitForDrainedOutbox());
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(ConsumerMetric(kInboxEvents, kDuplicate), 0);  // no event was delivered twice, so none was published twice
  const auto totals = ConsumerTotals();
  EXPECT_EQ(totals.events, 5000);
  EXPECT_EQ(totals.amount, SumOf(0, 5000));
}

TEST_F(ExactlyOnce, VersionOneEventReachesTheVersionTwoHandlerThroughItsUpcaster) {
  auto consumer = StartConsumer();
  auto producer = StartProducer();
  Produce(10, 3, "&version=1");  // payload {"n", "value"}; the handler reads "amount" (version 2)
  ASSERT_TRUE(WaitForEvents(3));
  EXPECT_EQ(ConsumerTotals().amount, 10 + 11 + 12);
}

}  // namespace
}  // namespace microstore
