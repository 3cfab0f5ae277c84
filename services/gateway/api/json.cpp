#include "gateway/api/json.hpp"

#include <string>
#include <string_view>

#include "platform/core/text.hpp"
#include "platform/messaging/inbox.hpp"
#include "platform/messaging/payload_reader.hpp"

namespace microstore::gateway::api {
namespace {

constexpr std::size_t kMaxIdBytes = 256;

void RequireAggregate(const messaging::Envelope& event, std::string_view type) {
  if (event.aggregate.type != type) {
    throw messaging::PoisonEvent(event.type + " aggregate.type must be \"" + std::string(type) +
                                 "\", not \"" + event.aggregate.type + "\"");
  }
}

std::string Id(const messaging::PayloadReader& payload, std::string_view field) {
  std::string id = payload.Text(field);
  if (id.empty()) payload.Poison(field, "is empty");
  if (id.size() > kMaxIdBytes)
    payload.Poison(field, "is longer than " + std::to_string(kMaxIdBytes) + " bytes");
  return id;
}

UserState ReadUserState(const messaging::Envelope& event, bool disabled) {
  RequireAggregate(event, "user");
  const messaging::PayloadReader payload(event);
  return UserState{Id(payload, "user_id"), event.aggregate.version, disabled};
}

}  // namespace

RevokedToken ReadTokenRevoked(const messaging::Envelope& event) {
  RequireAggregate(event, "token");
  const messaging::PayloadReader payload(event);
  std::string token_id = Id(payload, "token_id");
  std::string user_id = Id(payload, "user_id");
  const auto expires_at = ParseRfc3339(payload.Text("expires_at"));
  if (!expires_at) payload.Poison("expires_at", "is not an RFC 3339 timestamp");
  std::string reason;
  // Optional, but text when present: a null reason is refused too (PayloadReader::Optional would
  // take it for absent).
  if (event.payload.contains("reason")) reason = core::TruncateUtf8(payload.Text("reason"), kMaxIdBytes);
  return RevokedToken{std::move(token_id), std::move(user_id), *expires_at, std::move(reason)};
}

UserState ReadUserDisabled(const messaging::Envelope& event) { return ReadUserState(event, true); }

UserState ReadUserEnabled(const messaging::Envelope& event) { return ReadUserState(event, false); }

}  // namespace microstore::gateway::api
