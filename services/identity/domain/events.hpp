#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "identity/domain/user.hpp"
#include "platform/messaging/envelope.hpp"

// The events identity publishes (producer "identity", schema_version 1), as type + aggregate +
// payload; the use case appends them to the outbox (messaging::AppendDrafts) with ids and the clock.
//
// User events: aggregate {type "user", id user id, version after the change, status "ACTIVE" |
// "DISABLED"}. TokenRevoked: aggregate {type "token", id jti, version 1, status "REVOKED"}.
// Times are RFC 3339 UTC with milliseconds.
namespace microstore::identity {

inline constexpr const char* kProducer = "identity";

using DomainEvent = messaging::EventDraft;

// {user_id, email, first_name, last_name, phone (string|null), channels [string], roles [string],
//  registered_at}
DomainEvent UserRegistered(const User& user);
// {user_id, email, first_name, last_name, phone (string|null), channels [string]}
DomainEvent CustomerProfileUpdated(const User& user);
// {user_id, roles [string]}
DomainEvent UserRolesChanged(const User& user);
// {user_id}
DomainEvent UserDisabled(const User& user);
// {user_id}
DomainEvent UserEnabled(const User& user);

enum class RevocationReason { kLogout, kRefreshReuse, kUserDisabled };
// "logout", "refresh_reuse", "user_disabled" (also stored as revoked_reason).
std::string_view ToString(RevocationReason reason);

// An access token that was revoked while it could still have been used.
struct RevokedToken {
  std::string token_id;  // jti
  std::string user_id;
  Timestamp expires_at;  // when it would have expired

  bool operator==(const RevokedToken&) const = default;
};
// {token_id, user_id, expires_at, reason}
DomainEvent TokenRevoked(const RevokedToken& token, RevocationReason reason);

}  // namespace microstore::identity
