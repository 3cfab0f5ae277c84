// the gateway reads identity's TokenRevoked, UserDisabled and UserEnabled (api/json.hpp): a value
// or messaging::PoisonEvent, nothing else.
#include <string_view>

#include "events.hpp"
#include "gateway/api/json.hpp"
#include "platform/messaging/inbox.hpp"
#include "support.hpp"

namespace microstore::fuzz {
namespace {

template <typename F>
void ReadOrPoison(F&& read) {
  try {
    std::forward<F>(read)();
  } catch (const messaging::PoisonEvent& e) {
    FUZZ_CHECK(std::string_view(e.what()).size() > 0 && IsUtf8(e.what()));
  }
}

}  // namespace

void GatewayReadsEvent(const messaging::Envelope& event) {
  ReadOrPoison([&] {
    const gateway::RevokedToken token = gateway::api::ReadTokenRevoked(event);
    FUZZ_CHECK(!token.token_id.empty() && token.token_id.size() <= 256);
    FUZZ_CHECK(!token.user_id.empty() && token.user_id.size() <= 256);
    FUZZ_CHECK(token.reason.size() <= 256 && IsUtf8(token.reason), "a kept reason is longer than 256 bytes or cut");
  });
  for (const bool disabled : {true, false}) {
    ReadOrPoison([&] {
      const gateway::UserState user =
          disabled ? gateway::api::ReadUserDisabled(event) : gateway::api::ReadUserEnabled(event);
      FUZZ_CHECK(!user.user_id.empty() && user.user_id.size() <= 256);
      FUZZ_CHECK(user.version == event.aggregate.version && user.disabled == disabled);
    });
  }
}

}  // namespace microstore::fuzz
