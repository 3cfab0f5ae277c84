#include "platform/amqp/messages.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "platform/amqp/failure_headers.hpp"

namespace microstore::amqp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

BrokerAddress Parse(const std::string& url) {
  BrokerAddress address;
  std::string error;
  EXPECT_TRUE(ParseBrokerUrl(url, address, error)) << url << ": " << error;
  return address;
}

std::string Reject(const std::string& url) {
  BrokerAddress address;
  address.host = "untouched";
  std::string error;
  EXPECT_FALSE(ParseBrokerUrl(url, address, error)) << url;
  EXPECT_EQ(address.host, "untouched") << "a rejected URL must leave the address alone";
  return error;
}

TEST(BrokerUrlTest, FullUrl) {
  const auto address = Parse("amqp://alice:s3cret@broker.internal:5673/%2fshop");
  EXPECT_EQ(address.host, "broker.internal");
  EXPECT_EQ(address.port, 5673);
  EXPECT_EQ(address.user, "alice");
  EXPECT_EQ(address.password, "s3cret");
  EXPECT_EQ(address.vhost, "/shop");
}

TEST(BrokerUrlTest, DefaultsAndTheDefaultVhost) {
  for (const char* url : {"amqp://", "amqp://127.0.0.1", "amqp://127.0.0.1/", "amqp://127.0.0.1:5672/%2f",
                          "AMQP://127.0.0.1:5672/%2F"}) {
    const auto address = Parse(url);
    EXPECT_EQ(address.host, "127.0.0.1") << url;
    EXPECT_EQ(address.port, 5672) << url;
    EXPECT_EQ(address.user, "guest") << url;
    EXPECT_EQ(address.password, "guest") << url;
    EXPECT_EQ(address.vhost, "/") << url;
  }
}

TEST(BrokerUrlTest, PercentEncodedCredentialsAndIpv6) {
  const auto address = Parse("amqp://us%40er:p%3Aw%2Fd@[::1]:15672/shop");
  EXPECT_EQ(address.user, "us@er");
  EXPECT_EQ(address.password, "p:w/d");
  EXPECT_EQ(address.host, "::1");
  EXPECT_EQ(address.port, 15672);
  EXPECT_EQ(address.vhost, "shop");
  EXPECT_EQ(Parse("amqp://bob@host").user, "bob");
  EXPECT_EQ(Parse("amqp://bob@host").password, "guest");
  EXPECT_EQ(Parse("amqp://bob:@host").password, "");
}

TEST(BrokerUrlTest, RejectsWhatItCannotUse) {
  EXPECT_THAT(Reject("amqps://host"), HasSubstr("TLS"));
  for (const char* url :
       {"", "http://host", "amqp:/host", "amqp://host:0", "amqp://host:65536", "amqp://host:x",
        "amqp://host:", "amqp://[::1", "amqp://[::1]x", "amqp://host/a/b", "amqp://host/%zz",
        "amqp://host/?heartbeat=5", "amqp://host#x", "amqp://u%zz:p@host"}) {
    EXPECT_FALSE(Reject(url).empty()) << url;
  }
}

TEST(BrokerUrlTest, ErrorsNeverShowThePassword) {
  for (const char* url : {"amqp://user:hunter2@host:99999/", "amqp://user:hunter2@host/a/b",
                          "amqp://user:hunter2%zz@host", "amqps://user:hunter2@host"}) {
    EXPECT_THAT(Reject(url), Not(HasSubstr("hunter2"))) << url;
  }
}

TEST(NamesTest, EverythingLivesUnderMicrostore) {
  EXPECT_EQ(ExchangeOf("order"), "microstore.order");
  EXPECT_EQ(QueueOf("stock"), "microstore.stock");
  EXPECT_EQ(RetryQueueOf("stock", 5000), "microstore.stock.retry.5000");
  EXPECT_EQ(DeadLetterQueueOf("stock"), "microstore.stock.dead");
  EXPECT_STREQ(kUnroutedExchange, "microstore.unrouted");
}

TEST(FailureHeadersTest, ReplacesOurHeadersAndDropsTheBrokers) {
  const Headers original{{"x-microstore-attempts", "1"},     {"x-microstore-error", "old"},
                         {"traceparent", "00-abc"},          {"x-first-death-queue", "q"},
                         {"x-last-death-reason", "expired"}, {"x-delivery-count", "2"},
                         {"x-microstore-dead-at", "then"}};
  EXPECT_THAT(FailedHeaders(original, 2, "boom", std::nullopt),
              ElementsAre(Pair("traceparent", "00-abc"), Pair("x-microstore-attempts", "2"),
                          Pair("x-microstore-error", "boom")));
  const auto dead =
      FailedHeaders(original, 3, "bad",
                    std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'123)));
  EXPECT_THAT(dead.back(), Pair("x-microstore-dead-at", "2023-11-14T22:13:20.123Z"));
  EXPECT_THAT(ReplayHeaders(dead, ""),
              ElementsAre(Pair("traceparent", "00-abc"), Pair("x-microstore-error", "bad"),
                          Pair("x-microstore-dead-at", "2023-11-14T22:13:20.123Z"),
                          Pair("x-microstore-attempts", "0")));
}

TEST(FailureHeadersTest, TheReplayMarkIsReplacedOnReplayAndKeptWhenTheCopyFailsAgain) {
  const Headers replayed =
      ReplayHeaders({{"x-microstore-replay", "r1"}, {"x-microstore-attempts", "5"}}, "r2");
  EXPECT_THAT(replayed, ElementsAre(Pair("x-microstore-attempts", "0"), Pair("x-microstore-replay", "r2")));
  EXPECT_THAT(FailedHeaders(replayed, 1, "again", std::nullopt),
              ElementsAre(Pair("x-microstore-replay", "r2"), Pair("x-microstore-attempts", "1"),
                          Pair("x-microstore-error", "again")));
}

TEST(FailureHeadersTest, LongErrorsAreCutOnACharacterBoundary) {
  const std::string long_error(5000, 'x');
  const auto headers = FailedHeaders({}, 1, long_error, std::nullopt);
  EXPECT_EQ(headers.back().second.size(), kMaxErrorBytes);
}

}  // namespace
}  // namespace microstore::amqp
