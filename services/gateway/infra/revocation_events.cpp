#include "infra/revocation_events.hpp"

#include "core/text.hpp"
#include "infra/revocation_store.hpp"
#include "log/log.hpp"
#include "messaging/inbox.hpp"

namespace microstore::gateway {
namespace {

// Longer ids are no ids identity issues; refusing them keeps a broken producer from filling memory.
constexpr std::size_t kMaxIdBytes = 256;

// The non-empty string `field` of the payload, or nullopt (with `error` set).
std::optional<std::string> IdField(const nlohmann::json& payload, const char* field, std::string& error) {
  const auto found = payload.find(field);
  if (found == payload.end() || !found->is_string() || found->get_ref<const std::string&>().empty()) {
    error = std::string("payload.") + field + " must be a non-empty string";
    return std::nullopt;
  }
  const auto& text = found->get_ref<const std::string&>();
  if (text.size() > kMaxIdBytes) {
    error = std::string("payload.") + field + " is longer than " + std::to_string(kMaxIdBytes) + " bytes";
    return std::nullopt;
  }
  return text;
}

boost::asio::awaitable<void> ApplyTokenRevoked(pg::Transaction& transaction,
                                               const messaging::Envelope& event) {
  auto parsed = ParseTokenRevoked(event);
  if (auto* error = std::get_if<std::string>(&parsed)) throw messaging::PoisonEvent(*error);
  co_await StoreRevokedToken(transaction, std::get<RevokedToken>(parsed));
}

boost::asio::awaitable<void> ApplyUserStateChange(pg::Transaction& transaction,
                                                  const messaging::Envelope& event) {
  auto parsed = ParseUserStateChange(event);
  if (auto* error = std::get_if<std::string>(&parsed)) throw messaging::PoisonEvent(*error);
  const auto& state = std::get<UserState>(parsed);
  if (!co_await StoreUserState(transaction, state)) {
    log::Info({event.id, event.correlation_id}, "stale user event dropped",
              {{"type", event.type}, {"user_id", state.user_id}, {"version", state.version}});
  }
}

}  // namespace

std::vector<messaging::EventSubscription> RevocationSubscriptions() {
  return {{kIdentityProducer, "TokenRevoked", ApplyTokenRevoked},
          {kIdentityProducer, "UserDisabled", ApplyUserStateChange},
          {kIdentityProducer, "UserEnabled", ApplyUserStateChange}};
}

std::variant<RevokedToken, std::string> ParseTokenRevoked(const messaging::Envelope& event) {
  if (event.aggregate.type != "token")
    return "aggregate.type must be \"token\", not \"" + event.aggregate.type + "\"";
  std::string error;
  auto token_id = IdField(event.payload, "token_id", error);
  if (!token_id) return error;
  auto user_id = IdField(event.payload, "user_id", error);
  if (!user_id) return error;
  const auto expires = event.payload.find("expires_at");
  if (expires == event.payload.end() || !expires->is_string())
    return std::string("payload.expires_at must be a string");
  const auto expires_at = ParseRfc3339(expires->get_ref<const std::string&>());
  if (!expires_at) return std::string("payload.expires_at is not an RFC 3339 timestamp");
  std::string reason;
  if (const auto found = event.payload.find("reason"); found != event.payload.end()) {
    if (!found->is_string()) return std::string("payload.reason must be a string");
    reason = core::TruncateUtf8(found->get_ref<const std::string&>(), kMaxIdBytes);
  }
  return RevokedToken{std::move(*token_id), std::move(*user_id), *expires_at, std::move(reason)};
}

std::variant<UserState, std::string> ParseUserStateChange(const messaging::Envelope& event) {
  if (event.type != "UserDisabled" && event.type != "UserEnabled")
    return "not a user state event: " + event.type;
  if (event.aggregate.type != "user")
    return "aggregate.type must be \"user\", not \"" + event.aggregate.type + "\"";
  std::string error;
  auto user_id = IdField(event.payload, "user_id", error);
  if (!user_id) return error;
  return UserState{std::move(*user_id), event.aggregate.version, event.type == "UserDisabled"};
}

}  // namespace microstore::gateway
