#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>

#include "platform/amqp/messages.hpp"
#include "platform/http/router.hpp"

// Operator endpoints for the service's dead-letter queue, amqp::DeadLetterQueueOf(consumer)
// (R7, R34), under `prefix` (kDeadLetterPrefix: /api/v1, so the gateway exposes them as
// /api/v1/<service>/admin/dead-letters…). Every route needs role OPERATOR or ADMIN:
//
//   GET  …/admin/dead-letters?limit=N        up to N (default 50, at most 500) parked messages, left
//                                            in the queue: {"queue", "total", "items": [{"id", "type",
//                                            "error", "attempts", "dead_at", "correlation_id",
//                                            "routing_key", "exchange", "body"}]}
//   POST …/admin/dead-letters/{id}/replay    moves the messages with that message id back to the
//                                            consumer's queue, attempts reset: {"replayed": n,
//                                            "remaining": m}; 404 problem `dead-letter-not-found`
//                                            when none has it
//   POST …/admin/dead-letters/replay?limit=N moves up to N (default 100, at most 1000) of them back,
//                                            oldest first: {"replayed": n, "remaining": m}; repeat
//                                            while m > 0
//
// `remaining` is the length of the dead-letter queue once the replay ended: messages that failed
// again already are back in it (with their attempts and error updated) and count. A replay moves
// each message at most once: it looks only at what the queue held when it started, and marks
// every copy with a fresh replay id (amqp::kReplayHeader) so that a copy that comes back is left
// alone. A bad `limit` is 400 `invalid-limit`.
//
// A replayed event that was in fact already applied has no second effect (the inbox). The broker
// is reached with a blocking amqp::QueueAdmin on `workers` (runtime::Service::Workers()), never on
// the event loop; an unreachable broker answers 503 `broker-unavailable`. Once `stop`
// (runtime::Service::StopToken()) is requested, listing and replaying end between two messages
// and answer with what they did, so a shutdown never waits for them.
namespace microstore::messaging {

inline constexpr const char* kDeadLetterPrefix = "/api/v1";

void RegisterDeadLetterRoutes(http::Router& router, std::string broker_url, std::string consumer,
                              boost::asio::any_io_executor workers, std::stop_token stop = {},
                              const std::string& prefix = kDeadLetterPrefix);

// One parked message as the listing shows it: `body` is the parsed JSON when it is JSON, else the
// raw text; `error` and `dead_at` (amqp/failure_headers.hpp) are null when the headers are missing.
nlohmann::json DescribeDeadLetter(const amqp::Delivery& message);

// The listing's `limit` query parameter: default 50, 1..500; nullopt when it is not a number in range.
std::optional<std::size_t> ParseDeadLetterLimit(const std::optional<std::string>& text);
// The bulk replay's `limit`: default 100, 1..1000; nullopt when it is not a number in range.
std::optional<std::size_t> ParseReplayLimit(const std::optional<std::string>& text);

}  // namespace microstore::messaging
