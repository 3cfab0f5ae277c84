#include "gateway/infra/revocation_events.hpp"

#include "gateway/infra/revocation_store.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/inbox.hpp"

namespace microstore::gateway {
namespace {

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

}  // namespace microstore::gateway
