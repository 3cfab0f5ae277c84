#include "gateway/api/events.hpp"

#include "gateway/api/json.hpp"
#include "gateway/app/revocations.hpp"

namespace microstore::gateway::api {

namespace asio = boost::asio;

asio::awaitable<void> OnTokenRevoked(pg::Transaction& transaction, const messaging::Envelope& event) {
  const RevokedToken token = ReadTokenRevoked(event);
  co_await gateway::OnTokenRevoked(transaction, token);
}

asio::awaitable<void> OnUserDisabled(pg::Transaction& transaction, const messaging::Envelope& event) {
  const UserState state = ReadUserDisabled(event);
  co_await gateway::OnUserDisabled(transaction, state, messaging::CausedBy(event));
}

asio::awaitable<void> OnUserEnabled(pg::Transaction& transaction, const messaging::Envelope& event) {
  const UserState state = ReadUserEnabled(event);
  co_await gateway::OnUserEnabled(transaction, state, messaging::CausedBy(event));
}

std::vector<messaging::EventSubscription> EventHandlers() {
  return {
      {"identity", "TokenRevoked", OnTokenRevoked},
      {"identity", "UserDisabled", OnUserDisabled},
      {"identity", "UserEnabled", OnUserEnabled},
  };
}

}  // namespace microstore::gateway::api
