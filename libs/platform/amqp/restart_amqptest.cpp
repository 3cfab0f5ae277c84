// Publisher and Consumer heal by themselves when the broker crashes or restarts, on a broker of the
// test's own (the shared one cannot be restarted under other tests).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <future>
#include <set>

#include "platform/amqp/consumer.hpp"
#include "platform/amqp/publisher.hpp"
#include "platform/log/log.hpp"
#include "platform/testing/async.hpp"
#include "platform/testing/private_rabbitmq.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace amqp = microstore::amqp;
namespace mt = microstore::testing;
using namespace std::chrono_literals;

constexpr const char* kProducer = "restart-producer";
constexpr const char* kType = "thing.happened";

std::vector<amqp::OutgoingMessage> Batch(const std::string& prefix, int count) {
  std::vector<amqp::OutgoingMessage> batch;
  for (int i = 0; i < count; ++i) {
    const std::string id = prefix + "-" + std::to_string(i);
    batch.push_back({.exchange = amqp::ExchangeOf(kProducer),
                     .routing_key = kType,
                     .message_id = id,
                     .type = kType,
                     .correlation_id = "",
                     .body = std::string(1024, 'x'),
                     .headers = {}});
  }
  return batch;
}

struct Seen {
  std::set<std::string> ids;
  bool HasAll(const std::string& prefix, int count) const {
    for (int i = 0; i < count; ++i) {
      if (!ids.contains(prefix + "-" + std::to_string(i))) return false;
    }
    return true;
  }
};

asio::awaitable<amqp::Outcome> Record(Seen* seen, amqp::Delivery delivery) {
  seen->ids.insert(delivery.message_id);
  co_return amqp::Outcome{};
}

struct Attempt {
  bool done = false;
  bool failed = false;
  std::string error;
};

asio::awaitable<void> PublishInBackground(amqp::Publisher* publisher,
                                          std::vector<amqp::OutgoingMessage> batch, Attempt* attempt) {
  try {
    co_await publisher->PublishConfirmed(std::move(batch));
  } catch (const amqp::PublishError& e) {
    attempt->failed = true;
    attempt->error = e.what();
  }
  attempt->done = true;
}

// Runs a blocking broker operation on a thread of its own, so that the event loop (and the
// clients' completions) keep running meanwhile.
asio::awaitable<void> OffLoop(std::function<void()> work) {
  auto done = std::async(std::launch::async, std::move(work));
  std::future<void>* pending = &done;
  co_await mt::WaitUntil([pending] { return pending->wait_for(0s) == std::future_status::ready; }, 180s);
  done.get();
}

asio::awaitable<void> Sleep(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<void> SurviveRestarts(mt::PrivateRabbitMq& broker) {
  const auto executor = co_await asio::this_coro::executor;
  const std::string url = broker.Url();
  Seen seen;
  Seen* s = &seen;
  amqp::ConsumerOptions consumer_options{.url = url,
                                         .consumer = "restart-consumer",
                                         .subscriptions = {{kProducer, kType}},
                                         .prefetch = 64,
                                         .retry_delays = {1s},
                                         .heartbeat = 2s,
                                         .min_backoff = 50ms,
                                         .max_backoff = 1s};
  amqp::Consumer consumer(executor, consumer_options,
                          [s](amqp::Delivery delivery) { return Record(s, std::move(delivery)); });
  consumer.Start();
  amqp::PublisherOptions publisher_options{.url = url,
                                           .exchanges = {amqp::ExchangeOf(kProducer)},
                                           .heartbeat = 2s,
                                           .confirm_timeout = 60s,
                                           .min_backoff = 50ms,
                                           .max_backoff = 1s};
  amqp::Publisher publisher(executor, publisher_options);
  const amqp::Consumer* c = &consumer;
  amqp::Publisher* p = &publisher;
  co_await mt::WaitUntil([c, p] { return c->Connected() && p->Connected(); }, 60s);
  auto before_batch = Batch("before", 50);
  co_await publisher.PublishConfirmed(std::move(before_batch));
  co_await mt::WaitUntil([s] { return s->HasAll("before", 50); });

  // A crash while a batch is on the wire: the broker hangs first, so that it cannot confirm the
  // batch, then dies. The batch fails; it does not hang until confirm_timeout.
  mt::PrivateRabbitMq* b = &broker;
  co_await OffLoop([b] { b->Pause(); });
  Attempt in_flight;
  asio::co_spawn(executor, PublishInBackground(p, Batch("in-flight", 200), &in_flight),
                 microstore::log::OnFailure{"test publish"});
  co_await Sleep(500ms);  // lets the publisher's thread put the batch on the wire
  EXPECT_FALSE(in_flight.done);
  co_await OffLoop([b] { b->Kill(); });
  Attempt* f = &in_flight;
  co_await mt::WaitUntil([f] { return f->done; });
  EXPECT_TRUE(in_flight.failed);
  EXPECT_THAT(in_flight.error, ::testing::HasSubstr("connection"));

  co_await OffLoop([b] { b->Start(); });
  co_await mt::WaitUntil([c, p] { return c->Connected() && p->Connected(); }, 60s);
  auto after_crash_batch = Batch("after-crash", 50);
  co_await publisher.PublishConfirmed(std::move(after_crash_batch));
  co_await mt::WaitUntil([s] { return s->HasAll("after-crash", 50); });

  // A graceful restart, with a batch handed over while the broker is down: it waits for the
  // reconnection (within confirm_timeout) and is confirmed then.
  co_await OffLoop([b] { b->Stop(); });
  co_await mt::WaitUntil([c, p] { return !c->Connected() && !p->Connected(); });
  Attempt during_outage;
  asio::co_spawn(executor, PublishInBackground(p, Batch("during-outage", 50), &during_outage),
                 microstore::log::OnFailure{"test publish"});
  co_await OffLoop([b] { b->Start(); });
  Attempt* o = &during_outage;
  co_await mt::WaitUntil([o] { return o->done; }, 60s);
  EXPECT_FALSE(during_outage.failed) << during_outage.error;
  co_await mt::WaitUntil([s] { return s->HasAll("during-outage", 50); });
  auto after_restart_batch = Batch("after-restart", 50);
  co_await publisher.PublishConfirmed(std::move(after_restart_batch));
  co_await mt::WaitUntil([s] { return s->HasAll("after-restart", 50); });

  // A broker that hangs with its connections open: a batch fails at confirm_timeout instead of
  // waiting for ever, and missed heartbeats tell the clients to reconnect.
  amqp::PublisherOptions patient_options{.url = url,
                                         .exchanges = {amqp::ExchangeOf(kProducer)},
                                         .heartbeat = 60s,
                                         .confirm_timeout = 1s,
                                         .min_backoff = 50ms,
                                         .max_backoff = 1s};
  amqp::Publisher patient(executor, patient_options);
  amqp::Publisher* q = &patient;
  co_await mt::WaitUntil([q] { return q->Connected(); });
  co_await OffLoop([b] { b->Pause(); });
  auto frozen_batch = Batch("frozen", 10);
  const auto timed_out =
      co_await mt::Catch<amqp::PublishError>(patient.PublishConfirmed(std::move(frozen_batch)));
  EXPECT_TRUE(timed_out.has_value());
  if (timed_out) {
    EXPECT_THAT(timed_out->what(), ::testing::HasSubstr("did not confirm"));
  }
  co_await mt::WaitUntil([c, p] { return !c->Connected() && !p->Connected(); });  // 2 x heartbeat
  EXPECT_TRUE(patient.Connected());
  co_await OffLoop([b] { b->Resume(); });
  co_await mt::WaitUntil([c, p] { return c->Connected() && p->Connected(); }, 60s);
  // The late confirms of the timed-out batch must not be taken for this one's.
  auto thawed_batch = Batch("thawed", 50);
  co_await patient.PublishConfirmed(std::move(thawed_batch));
  co_await mt::WaitUntil([s] { return s->HasAll("thawed", 50); });
  consumer.Stop();
}

TEST(BrokerRestartTest, PublisherAndConsumerReconnect) {
  mt::PrivateRabbitMq broker;
  asio::io_context io;
  mt::Run(io, SurviveRestarts(broker));
}

}  // namespace
