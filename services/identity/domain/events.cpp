#include "identity/domain/events.hpp"

#include "platform/core/text.hpp"

namespace microstore::identity {
namespace {

messaging::AggregateRef UserAggregate(const User& user) {
  return {"user", user.id, user.version, std::string(StatusOf(user))};
}

nlohmann::json Phone(const User& user) {
  return user.profile.phone ? nlohmann::json(*user.profile.phone) : nlohmann::json(nullptr);
}

nlohmann::json ContactPayload(const User& user) {
  return {{"user_id", user.id},
          {"email", user.email},
          {"first_name", user.profile.first_name},
          {"last_name", user.profile.last_name},
          {"phone", Phone(user)},
          {"channels", ToStrings(user.profile.channels)}};
}

}  // namespace

DomainEvent UserRegistered(const User& user) {
  nlohmann::json payload = ContactPayload(user);
  payload["roles"] = user.roles.ToStrings();
  payload["registered_at"] = core::FormatRfc3339Utc(user.created_at);
  return {"UserRegistered", UserAggregate(user), std::move(payload)};
}

DomainEvent CustomerProfileUpdated(const User& user) {
  return {"CustomerProfileUpdated", UserAggregate(user), ContactPayload(user)};
}

DomainEvent UserRolesChanged(const User& user) {
  return {"UserRolesChanged", UserAggregate(user), {{"user_id", user.id}, {"roles", user.roles.ToStrings()}}};
}

DomainEvent UserDisabled(const User& user) {
  return {"UserDisabled", UserAggregate(user), {{"user_id", user.id}}};
}

DomainEvent UserEnabled(const User& user) {
  return {"UserEnabled", UserAggregate(user), {{"user_id", user.id}}};
}

std::string_view ToString(RevocationReason reason) {
  switch (reason) {
    case RevocationReason::kLogout:
      return "logout";
    case RevocationReason::kRefreshReuse:
      return "refresh_reuse";
    case RevocationReason::kUserDisabled:
      return "user_disabled";
  }
  return "logout";
}

DomainEvent TokenRevoked(const RevokedToken& token, RevocationReason reason) {
  return {"TokenRevoked",
          {"token", token.token_id, 1, "REVOKED"},
          {{"token_id", token.token_id},
           {"user_id", token.user_id},
           {"expires_at", core::FormatRfc3339Utc(token.expires_at)},
           {"reason", ToString(reason)}}};
}

}  // namespace microstore::identity
