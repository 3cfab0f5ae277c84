#pragma once

#include "gateway/domain/revocations.hpp"
#include "platform/messaging/envelope.hpp"

// The payloads the gateway consumes: identity's events (schema_version 1) that say which tokens
// to refuse, read through messaging::PayloadReader. One that cannot be used throws
// messaging::PoisonEvent naming the field (never its value); fields not named here are ignored.
// Ids are any non-empty text up to 256 bytes: longer ones are no ids identity issues, and
// refusing them keeps a broken producer from filling memory.
namespace microstore::gateway::api {

// TokenRevoked {token_id, user_id, expires_at (RFC 3339), reason (optional; cut to 256 bytes)},
// aggregate type "token".
RevokedToken ReadTokenRevoked(const messaging::Envelope& event);
// UserDisabled {user_id}, aggregate type "user": the user disabled as of the aggregate's version.
UserState ReadUserDisabled(const messaging::Envelope& event);
// UserEnabled {user_id}, aggregate type "user": the user enabled as of the aggregate's version.
UserState ReadUserEnabled(const messaging::Envelope& event);

}  // namespace microstore::gateway::api
