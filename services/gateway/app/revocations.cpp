#include "gateway/app/revocations.hpp"

#include <string_view>

#include "gateway/infra/revocation_store.hpp"
#include "platform/log/log.hpp"

namespace microstore::gateway {
namespace {

boost::asio::awaitable<void> ApplyUserState(pg::Transaction& transaction, const UserState& state,
                                            std::string_view event_type,
                                            const messaging::EventContext& context) {
  // Not `if (!co_await …)`: g++ 12 miscompiles that in this coroutine (SIGILL when it resumes).
  const bool applied = co_await StoreUserState(transaction, state);
  if (!applied) {
    log::Info({context.causation_id, context.correlation_id}, "stale user event dropped",
              {{"type", event_type}, {"user_id", state.user_id}, {"version", state.version}});
  }
}

}  // namespace

boost::asio::awaitable<void> OnTokenRevoked(pg::Transaction& transaction, const RevokedToken& token) {
  co_await StoreRevokedToken(transaction, token);
}

boost::asio::awaitable<void> OnUserDisabled(pg::Transaction& transaction, const UserState& state,
                                            const messaging::EventContext& context) {
  co_await ApplyUserState(transaction, state, "UserDisabled", context);
}

boost::asio::awaitable<void> OnUserEnabled(pg::Transaction& transaction, const UserState& state,
                                           const messaging::EventContext& context) {
  co_await ApplyUserState(transaction, state, "UserEnabled", context);
}

}  // namespace microstore::gateway
