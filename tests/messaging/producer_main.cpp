// A producer built from the platform, for the messaging process tests: a transactional outbox
// fed by HTTP and relayed to RabbitMQ. Tests kill it at will.
//
//   POST /events?start=S&count=N&batch=B&version=V&poison=1&rollback=1&pad=P
// appends N events "Counted" (n = S … S+N-1, value = n) in transactions of B events, committed
// (or, with rollback=1, rolled back), and answers {"appended": N}. pad=P adds a filler string of P
// bytes to each payload (the benchmark's realistic envelope size).
#include <unistd.h>

#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "platform/amqp/publisher.hpp"
#include "platform/core/ids.hpp"
#include "platform/http/problem.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/messaging/outbox_relay.hpp"
#include "platform/pg/pool.hpp"
#include "platform/runtime/service.hpp"

namespace {

using namespace microstore;
namespace asio = boost::asio;

std::int64_t QueryInt(const http::Request& request, const char* name, std::int64_t fallback) {
  const auto text = request.Query(name);
  if (!text) return fallback;
  try {
    return std::stoll(*text);
  } catch (const std::exception&) {
    throw http::HttpError(400, "invalid-query", std::string(name) + " must be a whole number");
  }
}

asio::awaitable<http::Response> AppendEvents(pg::Pool& pool, std::string producer, std::string node_id,
                                             http::Request& request) {
  const std::int64_t start = QueryInt(request, "start", 0);
  const std::int64_t count = QueryInt(request, "count", 1);
  const std::int64_t batch = std::max<std::int64_t>(1, QueryInt(request, "batch", 100));
  const int version = static_cast<int>(QueryInt(request, "version", 2));
  const bool poison = QueryInt(request, "poison", 0) != 0;
  const bool rollback = QueryInt(request, "rollback", 0) != 0;
  const std::int64_t pad = std::clamp<std::int64_t>(QueryInt(request, "pad", 0), 0, 100'000);
  for (std::int64_t first = start; first < start + count; first += batch) {
    std::vector<messaging::Envelope> events;
    for (std::int64_t n = first; n < std::min(first + batch, start + count); ++n) {
      nlohmann::json payload = {{"n", n}, {version >= 2 ? "amount" : "value", n}};
      if (poison) payload["poison"] = true;
      if (pad > 0) payload["note"] = std::string(static_cast<std::size_t>(pad), 'x');
      events.push_back(messaging::MakeEvent("Counted", version, {"counter", std::to_string(n), n, "counted"},
                                            std::move(payload), {}, producer, node_id, core::NewUuid(),
                                            std::chrono::system_clock::now()));
    }
    auto transaction = co_await pool.Begin();
    co_await messaging::Append(transaction, std::move(events));
    if (rollback) {
      co_await transaction.Rollback();
    } else {
      co_await transaction.Commit();
    }
  }
  co_return http::Response::Json(200, {{"appended", count}});
}

}  // namespace

int main(int argc, char** argv) {
  runtime::Service service({.name = "testproducer", .default_port = 8190, .messaging = true}, argc, argv);
  const std::string producer =
      service.Env().String("TEST_PRODUCER", "testproducer", "producer name: its exchange is microstore.<name>");
  const std::string amqp_url = service.Env().Required("MICROSTORE_AMQP_URL", "the RabbitMQ broker", true);
  const std::string db_url = service.Env().Required("MICROSTORE_DB_URL", "libpq URI of the database", true);
  const std::string node_id = producer + "-" + std::to_string(::getpid());

  amqp::Publisher publisher(service.Io().get_executor(), {.url = amqp_url, .exchanges = {amqp::ExchangeOf(producer)}});
  const auto relay_batch = static_cast<std::size_t>(service.Env().Int(
      "TESTPRODUCER_RELAY_BATCH", static_cast<std::int64_t>(messaging::RelayOptions{}.batch_size), 1, 10'000,
      "rows the relay claims and publishes per round"));
  const auto relay_rounds = static_cast<std::size_t>(
      service.Env().Int("TESTPRODUCER_RELAY_ROUNDS", static_cast<std::int64_t>(messaging::RelayOptions{}.rounds_in_flight),
                        1, 64, "relay rounds publishing at once"));
  messaging::OutboxRelay relay(service.Io().get_executor(), service.Database(), publisher,
                               {.batch_size = relay_batch, .rounds_in_flight = relay_rounds, .listener_conninfo = db_url});
  service.OnReady([&relay] { relay.Start(); });
  service.OnStop([&relay] { relay.Stop(); });
  service.AddReadinessCheck("broker", [&publisher]() -> asio::awaitable<std::optional<std::string>> {
    if (publisher.Connected()) co_return std::nullopt;
    co_return "not connected";
  });
  pg::Pool& pool = service.Database();
  service.Router().Post("/events", auth::Access::Public(),
                        [&pool, producer, node_id](http::Request& request) {
                          return AppendEvents(pool, producer, node_id, request);
                        });
  return service.Run();
}
