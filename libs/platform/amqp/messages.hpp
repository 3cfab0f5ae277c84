#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

// What crosses the broker, independent of rabbitmq-c. The messaging layer (outbox, inbox) speaks
// only these types; amqp/ turns them into frames.
namespace microstore::amqp {

// Names of everything declared on the broker, in one place. For service S:
//   exchange  microstore.S              topic, durable: every event S produces, routing key = type
//   queue     microstore.S              quorum: every event S consumes, bound by (producer, type)
//   queues    microstore.S.retry.<ms>   a message waits <ms> there, then returns to microstore.S
//   queue     microstore.S.dead         quorum: messages that kept failing, with their error
//   exchange  microstore.unrouted       fanout: alternate exchange of every producer exchange, so
//   queue     microstore.unrouted       an event nobody subscribes to yet is parked, not dropped
std::string ExchangeOf(const std::string& producer);
std::string QueueOf(const std::string& consumer);
std::string RetryQueueOf(const std::string& consumer, std::int64_t delay_ms);
std::string DeadLetterQueueOf(const std::string& consumer);
inline constexpr const char* kUnroutedExchange = "microstore.unrouted";
inline constexpr const char* kUnroutedQueue = "microstore.unrouted";

using Headers = std::vector<std::pair<std::string, std::string>>;  // string-valued AMQP headers

// One message to publish. Always persistent (delivery mode 2), content type application/json.
struct OutgoingMessage {
  std::string exchange;     // "" = the default exchange (routing key = queue name)
  std::string routing_key;  // the event type for events
  std::string message_id;   // the event id
  std::string type;         // the event type (AMQP `type` property)
  std::string correlation_id;
  std::string body;  // the event envelope as JSON
  Headers headers;
};

// One message received by a consumer.
struct Delivery {
  std::uint64_t delivery_tag = 0;
  std::string exchange;
  std::string routing_key;
  std::string message_id;
  std::string type;
  std::string correlation_id;
  std::string body;
  Headers headers;
  bool redelivered = false;
  // How many times handling was attempted before (from the x-microstore-attempts header; 0 first).
  int attempts = 0;
};

// What the consumer does with a delivery once the handler is done with it.
struct Outcome {
  enum class Kind {
    kAck,         // handled (or a duplicate): remove it
    kRetry,       // failed: park it in the retry queue for `retry_delay_ms`, then redeliver
    kDeadLetter,  // failed for good: move it to the dead-letter queue with `error`
  };
  Kind kind = Kind::kAck;
  std::string error;
  std::int64_t retry_delay_ms = 0;  // must be one of the consumer's configured delays
};

// Connection settings parsed from an amqp:// URL: amqp://user:password@host:port/vhost, where the
// vhost is percent-encoded ("/" is %2f; an empty path means "/").
struct BrokerAddress {
  std::string host = "127.0.0.1";
  int port = 5672;
  std::string user = "guest";
  std::string password = "guest";
  std::string vhost = "/";
};
// Returns false and sets `error` (never containing the password) when the URL is not valid.
bool ParseBrokerUrl(const std::string& url, BrokerAddress& address, std::string& error);

}  // namespace microstore::amqp
