#include "identity/infra/events.hpp"

#include <nlohmann/json.hpp>

#include "platform/core/text.hpp"

namespace microstore::identity {
namespace {

using nlohmann::json;

messaging::AggregateRef UserAggregate(const User& user) {
  return {"user", user.id, user.version, std::string(StatusOf(user))};
}

json Phone(const User& user) { return user.profile.phone ? json(*user.profile.phone) : json(nullptr); }

json ContactPayload(const User& user) {
  return {{"user_id", user.id},
          {"email", user.email},
          {"first_name", user.profile.first_name},
          {"last_name", user.profile.last_name},
          {"phone", Phone(user)},
          {"channels", ToStrings(user.profile.channels)}};
}

messaging::EventDraft Draft(const UserRegistered& event) {
  json payload = ContactPayload(event.user);
  payload["roles"] = event.user.roles.ToStrings();
  payload["registered_at"] = core::FormatRfc3339Utc(event.user.created_at);
  return {"UserRegistered", UserAggregate(event.user), std::move(payload)};
}

messaging::EventDraft Draft(const CustomerProfileUpdated& event) {
  return {"CustomerProfileUpdated", UserAggregate(event.user), ContactPayload(event.user)};
}

messaging::EventDraft Draft(const UserRolesChanged& event) {
  return {"UserRolesChanged",
          UserAggregate(event.user),
          {{"user_id", event.user.id}, {"roles", event.user.roles.ToStrings()}}};
}

messaging::EventDraft Draft(const UserDisabled& event) {
  return {"UserDisabled", UserAggregate(event.user), {{"user_id", event.user.id}}};
}

messaging::EventDraft Draft(const UserEnabled& event) {
  return {"UserEnabled", UserAggregate(event.user), {{"user_id", event.user.id}}};
}

messaging::EventDraft Draft(const TokenRevoked& event) {
  return {"TokenRevoked",
          {"token", event.token.token_id, 1, "REVOKED"},
          {{"token_id", event.token.token_id},
           {"user_id", event.token.user_id},
           {"expires_at", core::FormatRfc3339Utc(event.token.expires_at)},
           {"reason", ToString(event.reason)}}};
}

}  // namespace

messaging::EventDraft ToDraft(const Event& event) {
  return std::visit([](const auto& typed) { return Draft(typed); }, event);
}

std::vector<messaging::EventDraft> ToDrafts(const std::vector<Event>& events) {
  return messaging::DraftsOf(events, ToDraft);
}

}  // namespace microstore::identity
