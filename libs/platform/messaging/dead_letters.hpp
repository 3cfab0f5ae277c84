#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "amqp/messages.hpp"
#include "http/router.hpp"

// Operator endpoints for the service's dead-letter queue, amqp::DeadLetterQueueOf(consumer)
// (R7, R34). Every route needs role OPERATOR or ADMIN:
//
//   GET  /admin/dead-letters?limit=N        up to N (default 50, at most 500) parked messages, left
//                                           in the queue: {"queue", "total", "items": [{"id", "type",
//                                           "error", "attempts", "dead_at", "correlation_id",
//                                           "routing_key", "exchange", "body"}]}
//   POST /admin/dead-letters/{id}/replay    moves the messages with that message id back to the
//                                           consumer's queue, attempts reset: {"replayed": n};
//                                           404 problem `dead-letter-not-found` when none has it
//   POST /admin/dead-letters/replay         moves all of them back: {"replayed": n}
//
// A replayed event that was in fact already applied has no second effect (the inbox). The broker
// is reached with a blocking amqp::QueueAdmin on `workers` (runtime::Service::Workers()), never on
// the event loop; an unreachable broker answers 503 `broker-unavailable`.
namespace microstore::messaging {

void RegisterDeadLetterRoutes(http::Router& router, std::string broker_url, std::string consumer,
                              boost::asio::any_io_executor workers);

// One parked message as the listing shows it: `body` is the parsed JSON when it is JSON, else the
// raw text; `error` and `dead_at` (amqp/failure_headers.hpp) are null when the headers are missing.
nlohmann::json DescribeDeadLetter(const amqp::Delivery& message);

// The `limit` query parameter: default 50, 1..500; nullopt when it is not a number in range.
std::optional<std::size_t> ParseDeadLetterLimit(const std::optional<std::string>& text);

}  // namespace microstore::messaging
