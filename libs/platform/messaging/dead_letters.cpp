#include "messaging/dead_letters.hpp"

#include <charconv>

#include "amqp/consumer.hpp"
#include "amqp/failure_headers.hpp"
#include "http/problem.hpp"
#include "runtime/offload.hpp"

namespace microstore::messaging {
namespace {

namespace asio = boost::asio;
using Json = nlohmann::json;

constexpr std::size_t kDefaultLimit = 50;
constexpr std::size_t kMaxLimit = 500;

struct Config {
  std::string url;
  std::string consumer;
  asio::any_io_executor workers;
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

asio::awaitable<http::Response> List(Config config, std::optional<std::string> limit_text) {
  const auto limit = ParseDeadLetterLimit(limit_text);
  if (!limit) {
    throw http::HttpError(400, "invalid-limit",
                          "limit must be a whole number from 1 to " + std::to_string(kMaxLimit));
  }
  const std::string queue = amqp::DeadLetterQueueOf(config.consumer);
  auto work = [url = config.url, queue, max = *limit] {
    amqp::QueueAdmin admin(url);
    Listing listing;
    listing.total = admin.MessageCount(queue);
    listing.items = admin.Peek(queue, max);
    return listing;
  };
  Listing listing;
  std::optional<http::HttpError> failure;
  try {
    listing = co_await runtime::Offload(config.workers, std::move(work));
  } catch (const std::exception& e) {
    failure = BrokerUnavailable(e);
  }
  if (failure) throw *failure;
  Json items = Json::array();
  for (const auto& message : listing.items) items.push_back(DescribeDeadLetter(message));
  co_return http::Response::Json(200,
                                 {{"queue", queue}, {"total", listing.total}, {"items", std::move(items)}});
}

asio::awaitable<http::Response> Replay(Config config, std::optional<std::string> id) {
  const std::string from = amqp::DeadLetterQueueOf(config.consumer);
  const std::string to = amqp::QueueOf(config.consumer);
  auto work = [url = config.url, from, to, id] {
    amqp::QueueAdmin admin(url);
    return admin.Move(from, to,
                      [&id](const amqp::Delivery& message) { return !id || message.message_id == *id; });
  };
  std::size_t moved = 0;
  std::optional<http::HttpError> failure;
  try {
    moved = co_await runtime::Offload(config.workers, std::move(work));
  } catch (const std::exception& e) {
    failure = BrokerUnavailable(e);
  }
  if (failure) throw *failure;
  if (id && moved == 0) {
    throw http::HttpError(404, "dead-letter-not-found", "no dead-lettered message has id " + *id);
  }
  co_return http::Response::Json(200, {{"replayed", moved}});
}

}  // namespace

void RegisterDeadLetterRoutes(http::Router& router, std::string broker_url, std::string consumer,
                              asio::any_io_executor workers) {
  const auth::Access operators = auth::Access::AnyOf({auth::Role::kOperator, auth::Role::kAdmin});
  const Config config{std::move(broker_url), std::move(consumer), std::move(workers)};
  router.Get("/admin/dead-letters", operators,
             [config](http::Request& request) { return List(config, request.Query("limit")); });
  router.Post("/admin/dead-letters/replay", operators,
              [config](http::Request&) { return Replay(config, std::nullopt); });
  router.Post("/admin/dead-letters/{id}/replay", operators,
              [config](http::Request& request) { return Replay(config, std::string(request.Param("id"))); });
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
  if (!text) return kDefaultLimit;
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 1 || value > kMaxLimit)
    return std::nullopt;
  return value;
}

}  // namespace microstore::messaging
