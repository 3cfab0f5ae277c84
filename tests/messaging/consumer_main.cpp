// A consumer built from the platform, for the messaging process tests: an inbox applying
// "Counted" events (current version 2; version 1 is upcast) to a total. Events with
// "poison": true fail until the process runs with TESTCONSUMER_ACCEPT_POISON=true, like a bug
// that a deployment fixes. Operators reach dead letters at /api/v1/admin/dead-letters.
#include <nlohmann/json.hpp>

#include "platform/amqp/consumer.hpp"
#include "embedded_migrations.hpp"
#include "platform/messaging/dead_letters.hpp"
#include "platform/messaging/inbox.hpp"
#include "platform/runtime/service.hpp"

namespace {

using namespace microstore;
namespace asio = boost::asio;
using namespace std::chrono_literals;

asio::awaitable<void> ApplyCounted(bool accept_poison, pg::Transaction& transaction,
                                   const messaging::Envelope& event) {
  if (event.payload.value("poison", false) && !accept_poison) {
    throw std::runtime_error("poison event " + event.id + " refused");
  }
  const std::int64_t amount = event.payload.at("amount").get<std::int64_t>();
  co_await transaction.Query("INSERT INTO effects (event_id, n) VALUES ($1, $2)", event.id,
                             event.payload.at("n").get<std::int64_t>());
  // Last: every event updates this one row, so its lock is held from here to the commit and
  // serialises the consumer's transactions; nothing else should wait inside it.
  co_await transaction.Query("UPDATE totals SET events = events + 1, amount = amount + $1 WHERE id = 1", amount);
}

}  // namespace

int main(int argc, char** argv) {
  runtime::Service service(
      {.name = "testconsumer", .default_port = 8191, .migrations = &microstore_test_consumer_migrations(), .messaging = true}, argc,
      argv);
  const std::string consumer_name =
      service.Env().String("TEST_CONSUMER", "testconsumer", "consumer name: its queue is microstore.<name>");
  const std::string producer =
      service.Env().String("TEST_PRODUCER", "testproducer", "the producer whose events it consumes");
  const std::string amqp_url = service.Env().Required("MICROSTORE_AMQP_URL", "the RabbitMQ broker", true);
  const bool accept_poison =
      service.Env().Bool("TESTCONSUMER_ACCEPT_POISON", false, "apply events marked poison instead of failing");
  const std::vector<std::chrono::milliseconds> delays{200ms, 400ms};

  messaging::Upcasters upcasters;
  upcasters.Register("Counted", 1, [](nlohmann::json payload) {
    payload["amount"] = payload.at("value");
    payload.erase("value");
    return payload;
  });
  messaging::Inbox inbox(service.Database(), consumer_name, std::move(upcasters),
                         {.max_attempts = 3, .retry_delays = delays});
  inbox.On("Counted", [accept_poison](pg::Transaction& transaction, const messaging::Envelope& event) {
    return ApplyCounted(accept_poison, transaction, event);
  });
  amqp::Consumer consumer(service.Io().get_executor(),
                          {.url = amqp_url,
                           .consumer = consumer_name,
                           .subscriptions = {{producer, "Counted"}},
                           .prefetch = 64,
                           .retry_delays = delays},
                          inbox.Handler());
  service.OnReady([&] {
    inbox.Start();
    consumer.Start();
  });
  service.OnStop([&] {
    consumer.Stop();
    inbox.Stop();
  });
  service.AddReadinessCheck("broker", [&consumer]() -> asio::awaitable<std::optional<std::string>> {
    if (consumer.Connected()) co_return std::nullopt;
    co_return "not connected";
  });
  messaging::RegisterDeadLetterRoutes(service.Router(), amqp_url, consumer_name, service.Workers(),
                                      service.StopToken());
  return service.Run();
}
