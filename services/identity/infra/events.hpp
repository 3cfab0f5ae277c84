#pragma once

#include <vector>

#include "identity/domain/events.hpp"
#include "platform/messaging/envelope.hpp"

// identity's events as outbox rows (producer "identity", schema_version 1; contracts/asyncapi.yaml).
// Times are RFC 3339 UTC with milliseconds.
//
// User events: aggregate {type "user", id user id, version after the change, status "ACTIVE" |
// "DISABLED"}; payloads
//   UserRegistered          {user_id, email, first_name, last_name, phone (string|null),
//                            channels [string], roles [string], registered_at}
//   CustomerProfileUpdated  {user_id, email, first_name, last_name, phone (string|null), channels [string]}
//   UserRolesChanged        {user_id, roles [string]}
//   UserDisabled            {user_id}
//   UserEnabled             {user_id}
// TokenRevoked: aggregate {type "token", id jti, version 1, status "REVOKED"};
//   payload {token_id, user_id, expires_at, reason}.
namespace microstore::identity {

messaging::EventDraft ToDraft(const Event& event);
std::vector<messaging::EventDraft> ToDrafts(const std::vector<Event>& events);

}  // namespace microstore::identity
