#include "platform/messaging/dead_letters.hpp"

#include <charconv>
#include <limits>

#include "platform/amqp/consumer.hpp"
#include "platform/amqp/failure_headers.hpp"
#include "platform/core/ids.hpp"
#include "platform/http/problem.hpp"
#include "platform/async/offload.hpp"

namespace microstore::messaging {
namespace {

namespace asio = boost::asio;
using Json = nlohmann::json;

constexpr std::size_t kDefaultLimit = 50;
constexpr std::size_t kMaxLimit = 500;
constexpr std::size_t kDefaultReplayLimit = 100;
constexpr std::size_t kMaxReplayLimit = 1000;

struct Config {
  std::string url;
  std::string consumer;
  asio::any_io_executor workers;
  std::stop_token stop;
};

struct Listing {
  std::size_t total = 0;
  std::vector<amqp::Delivery> items;
};

const std::string* FindHeader(const amqp::Delivery& message, std::string_view name) {
  for (const auto& [key, value] : message.headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

Json NullOr(const std::string* value) { return value == nullptr ? Json() : Json(*value); }

http::HttpError BrokerUnavailable(const std::exception& e) {
  return http::HttpError(503, "broker-unavailable",
                         std::string("the message broker cannot be reached: ") + e.what());
}

http::HttpError InvalidLimit(std::size_t max) {
  return http::HttpError(400, "invalid-limit",
                         "limit must be a whole number from 1 to " + std::to_string(max));
}

std::optional<std::size_t> ParseCount(const std::optional<std::string>& text, std::size_t fallback,
                                      std::size_t max) {
  if (!text) return fallback;
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 1 || value > max)
    return std::nullopt;
  return value;
}

asio::awaitable<http::Response> List(Config config, std::optional<std::string> limit_text) {
  const auto limit = ParseDeadLetterLimit(limit_text);
  if (!limit) throw InvalidLimit(kMaxLimit);
  const std::string queue = amqp::DeadLetterQueueOf(config.consumer);
  auto work = [url = config.url, queue, max = *limit, stop = config.stop] {
    amqp::QueueAdmin admin(url);
    Listing listing;
    listing.total = admin.MessageCount(queue);
    listing.items = admin.Peek(queue, max, stop);
    return listing;
  };
  Listing listing;
  std::optional<http::HttpError> failure;
  try {
    listing = co_await async::Offload(config.workers, std::move(work));
  } catch (const std::exception& e) {
    failure = BrokerUnavailable(e);
  }
  if (failure) throw *failure;
  Json items = Json::array();
  for (const auto& message : listing.items) items.push_back(DescribeDeadLetter(message));
  co_return http::Response::Json(200,
                                 {{"queue", queue}, {"total", listing.total}, {"items", std::move(items)}});
}

// `id`: the copies with that message id, however many; otherwise the oldest `limit` messages.
asio::awaitable<http::Response> Replay(Config config, std::optional<std::string> id,
                                       std::optional<std::string> limit_text) {
  std::size_t limit = std::numeric_limits<std::size_t>::max();
  if (!id) {
    const auto parsed = ParseReplayLimit(limit_text);
    if (!parsed) throw InvalidLimit(kMaxReplayLimit);
    limit = *parsed;
  }
  const std::string from = amqp::DeadLetterQueueOf(config.consumer);
  const std::string to = amqp::QueueOf(config.consumer);
  const amqp::MoveOptions options{.max = limit, .mark = core::NewUuid(), .stop = config.stop};
  auto work = [url = config.url, from, to, id, options] {
    amqp::QueueAdmin admin(url);
    return admin.Move(
        from, to, [&id](const amqp::Delivery& message) { return !id || message.message_id == *id; }, options);
  };
  amqp::MoveResult result;
  std::optional<http::HttpError> failure;
  try {
    result = co_await async::Offload(config.workers, std::move(work));
  } catch (const std::exception& e) {
    failure = BrokerUnavailable(e);
  }
  if (failure) throw *failure;
  // Cut short by a shutdown, it did not look at every message: not finding the id proves nothing.
  if (id && result.moved == 0 && !config.stop.stop_requested()) {
    throw http::HttpError(404, "dead-letter-not-found", "no dead-lettered message has id " + *id);
  }
  co_return http::Response::Json(200, {{"replayed", result.moved}, {"remaining", result.remaining}});
}

}  // namespace

void RegisterDeadLetterRoutes(http::Router& router, std::string broker_url, std::string consumer,
                              asio::any_io_executor workers, std::stop_token stop,
                              const std::string& prefix) {
  const auth::Access operators = auth::Access::AnyOf({auth::Role::kOperator, auth::Role::kAdmin});
  const Config config{std::move(broker_url), std::move(consumer), std::move(workers), std::move(stop)};
  const std::string base = prefix + "/admin/dead-letters";
  router.Get(base, operators,
             [config](http::Request& request) { return List(config, request.Query("limit")); });
  router.Post(base + "/replay", operators, [config](http::Request& request) {
    return Replay(config, std::nullopt, request.Query("limit"));
  });
  router.Post(base + "/{id}/replay", operators, [config](http::Request& request) {
    return Replay(config, std::string(request.Param("id")), std::nullopt);
  });
}

Json DescribeDeadLetter(const amqp::Delivery& message) {
  Json body = Json::parse(message.body, nullptr, false);
  if (body.is_discarded()) body = message.body;
  return Json{{"id", message.message_id},
              {"type", message.type},
              {"error", NullOr(FindHeader(message, amqp::kErrorHeader))},
              {"attempts", message.attempts},
              {"dead_at", NullOr(FindHeader(message, amqp::kDeadAtHeader))},
              {"correlation_id", message.correlation_id},
              {"routing_key", message.routing_key},
              {"exchange", message.exchange},
              {"body", std::move(body)}};
}

std::optional<std::size_t> ParseDeadLetterLimit(const std::optional<std::string>& text) {
  return ParseCount(text, kDefaultLimit, kMaxLimit);
}

std::optional<std::size_t> ParseReplayLimit(const std::optional<std::string>& text) {
  return ParseCount(text, kDefaultReplayLimit, kMaxReplayLimit);
}

}  // namespace microstore::messaging
