#pragma once

#include <string>
#include <variant>
#include <vector>

#include "gateway/domain/revocations.hpp"
#include "platform/messaging/envelope.hpp"
#include "platform/messaging/inbox.hpp"

// Identity's events that tell the gateway which tokens to refuse (producer "identity", exchange
// microstore.identity, schema version 1):
//   TokenRevoked  {token_id, user_id, expires_at (RFC 3339), reason}   aggregate type "token"
//   UserDisabled  {user_id}                                            aggregate type "user"
//   UserEnabled   {user_id}                                            aggregate type "user"
// A user's aggregate.version orders its disable/enable events: the highest version wins.
namespace microstore::gateway {

inline constexpr const char* kConsumerName = "gateway";
inline constexpr const char* kIdentityProducer = "identity";

// The gateway's consumer: the three events with their handlers. Each stores what it learned in
// the inbox's transaction and notifies the replicas (infra/revocation_store.hpp). An unusable
// payload is dead-lettered at once (messaging::PoisonEvent).
std::vector<messaging::EventSubscription> RevocationSubscriptions();

// The revocation a TokenRevoked event describes, or why it is unusable.
std::variant<RevokedToken, std::string> ParseTokenRevoked(const messaging::Envelope& event);
// The user state a UserDisabled or UserEnabled event describes (version from the aggregate), or
// why it is unusable.
std::variant<UserState, std::string> ParseUserStateChange(const messaging::Envelope& event);

}  // namespace microstore::gateway
