#include "identity/domain/events.hpp"

namespace microstore::identity {

std::string_view ToString(RevocationReason reason) {
  switch (reason) {
    case RevocationReason::kLogout:
      return "logout";
    case RevocationReason::kRefreshReuse:
      return "refresh_reuse";
    case RevocationReason::kUserDisabled:
      return "user_disabled";
  }
  return "logout";
}

std::vector<Event> Revocations(const std::vector<RevokedToken>& tokens, RevocationReason reason) {
  std::vector<Event> events;
  events.reserve(tokens.size());
  for (const auto& token : tokens) events.emplace_back(TokenRevoked{token, reason});
  return events;
}

}  // namespace microstore::identity
