// the gateway reads identity's TokenRevoked, UserDisabled and UserEnabled
// (infra/revocation_events.hpp): a value or a message, never an exception.
#include <variant>

#include "events.hpp"
#include "gateway/infra/revocation_events.hpp"
#include "support.hpp"

namespace microstore::fuzz {

void GatewayReadsEvent(const messaging::Envelope& event) {
  const auto revoked = gateway::ParseTokenRevoked(event);
  if (const auto* error = std::get_if<std::string>(&revoked)) {
    FUZZ_CHECK(!error->empty());
  } else {
    const auto& token = std::get<gateway::RevokedToken>(revoked);
    FUZZ_CHECK(!token.token_id.empty() && token.token_id.size() <= 256);
    FUZZ_CHECK(!token.user_id.empty() && token.user_id.size() <= 256);
    FUZZ_CHECK(token.reason.size() <= 256 && IsUtf8(token.reason), "a kept reason is longer than 256 bytes or cut");
  }
  const auto state = gateway::ParseUserStateChange(event);
  if (const auto* error = std::get_if<std::string>(&state)) {
    FUZZ_CHECK(!error->empty());
  } else {
    const auto& user = std::get<gateway::UserState>(state);
    FUZZ_CHECK(!user.user_id.empty() && user.user_id.size() <= 256);
    FUZZ_CHECK(user.version == event.aggregate.version && user.disabled == (event.type == "UserDisabled"));
  }
}

}  // namespace microstore::fuzz
