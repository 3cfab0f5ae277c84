#include "platform/amqp/publisher.hpp"
#include "platform/messaging/outbox_relay.hpp"

namespace microstore::messaging {

OutboxRelay::OutboxRelay(boost::asio::any_io_executor executor, pg::Pool& pool, amqp::Publisher& publisher,
                         RelayOptions options)
    : OutboxRelay(
          executor, pool,
          [&publisher](std::vector<amqp::OutgoingMessage> batch) {
            return publisher.PublishConfirmed(std::move(batch));
          },
          std::move(options)) {}

}  // namespace microstore::messaging
