#pragma once

#include <boost/asio/awaitable.hpp>

#include "gateway/domain/revocations.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::pg {
class Transaction;
}

// What the gateway learns from identity's events, recorded in the inbox's transaction. Each
// change notifies every replica (infra/revocation_store.hpp), whose RevocationSync
// (app/revocation_sync.hpp) then loads it into its RevocationCache.
namespace microstore::gateway {

// Records the revoked token; one already recorded stays as it is (a duplicate changes nothing).
boost::asio::awaitable<void> OnTokenRevoked(pg::Transaction& transaction, const RevokedToken& token);

// Records the user's state (`state.disabled` true for UserDisabled, false for UserEnabled) when
// its version Supersedes the stored one. An older or equal version changes nothing and is
// logged as a stale event dropped, with the event's id and correlation id from `context`.
boost::asio::awaitable<void> OnUserDisabled(pg::Transaction& transaction, const UserState& state,
                                            const messaging::EventContext& context);
boost::asio::awaitable<void> OnUserEnabled(pg::Transaction& transaction, const UserState& state,
                                           const messaging::EventContext& context);

}  // namespace microstore::gateway
