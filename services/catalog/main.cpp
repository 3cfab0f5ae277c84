// microstore-catalog: products (ADMIN creates, edits and archives; anyone lists, searches and
// reads), with ProductCreated/Updated/PriceChanged/Archived events relayed from the outbox.
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "amqp/publisher.hpp"
#include "api/routes.hpp"
#include "infra/migrations.hpp"
#include "messaging/outbox_relay.hpp"
#include "runtime/service.hpp"

int main(int argc, char** argv) {
  using namespace microstore;
  namespace asio = boost::asio;

  runtime::Service service(
      {.name = "catalog", .default_port = 8082, .migrations = &catalog::Migrations(), .messaging = true},
      argc, argv);
  const std::string amqp_url = service.Env().Required("MICROSTORE_AMQP_URL", "the RabbitMQ broker", true);
  // The relay LISTENs on its own connection to the database the Service already validates;
  // reading the variable through Env() again would list it twice in --help.
  const char* db_url_value = std::getenv("MICROSTORE_DB_URL");
  const std::string db_url = db_url_value != nullptr ? db_url_value : "";
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const std::string node_id = "catalog-" + std::string(host) + "-" + std::to_string(::getpid());

  // The publisher refuses a malformed URL by throwing; report it like any other setting (and
  // still answer --help) instead of dying before Run().
  std::unique_ptr<amqp::Publisher> publisher;
  std::unique_ptr<messaging::OutboxRelay> relay;
  amqp::BrokerAddress address;
  std::string url_problem;
  if (!amqp_url.empty() && !amqp::ParseBrokerUrl(amqp_url, address, url_problem)) {
    service.Env().Reject("MICROSTORE_AMQP_URL", url_problem);
  } else if (!amqp_url.empty()) {
    publisher = std::make_unique<amqp::Publisher>(
        service.Io().get_executor(),
        amqp::PublisherOptions{.url = amqp_url, .exchanges = {amqp::ExchangeOf("catalog")}});
    relay =
        std::make_unique<messaging::OutboxRelay>(service.Io().get_executor(), service.Database(), *publisher,
                                                 messaging::RelayOptions{.listener_conninfo = db_url});
    service.OnReady([&relay] { relay->Start(); });
    service.OnStop([&relay] { relay->Stop(); });
    service.AddReadinessCheck("broker", [&publisher]() -> asio::awaitable<std::optional<std::string>> {
      if (publisher->Connected()) co_return std::nullopt;
      co_return "not connected";
    });
  }

  catalog::RegisterRoutes(service.Router(), service.Database(), node_id);
  return service.Run();
}
