#include "gateway/infra/revocation_events.hpp"

#include "platform/core/text.hpp"

// The payload readers of infra/revocation_events.hpp, apart from the handlers (which need a
// database) so that they can be tested and fuzzed alone.
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

}  // namespace

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
