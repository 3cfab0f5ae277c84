#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "identity/domain/user.hpp"

// The events identity publishes, as typed values; infra/events.hpp turns them into outbox rows
// (payloads and aggregates as contracts/asyncapi.yaml says). A user event carries the user as
// the change left it.
namespace microstore::identity {

// A new account, with its contact profile, roles and registration time.
struct UserRegistered {
  User user;

  bool operator==(const UserRegistered&) const = default;
};

// The customer's contact profile changed.
struct CustomerProfileUpdated {
  User user;

  bool operator==(const CustomerProfileUpdated&) const = default;
};

struct UserRolesChanged {
  User user;

  bool operator==(const UserRolesChanged&) const = default;
};

struct UserDisabled {
  User user;

  bool operator==(const UserDisabled&) const = default;
};

struct UserEnabled {
  User user;

  bool operator==(const UserEnabled&) const = default;
};

enum class RevocationReason { kLogout, kRefreshReuse, kUserDisabled };
// "logout", "refresh_reuse", "user_disabled" (also stored as revoked_reason).
std::string_view ToString(RevocationReason reason);

// An access token that was revoked while it could still have been used.
struct RevokedToken {
  std::string token_id;  // jti
  std::string user_id;
  Timestamp expires_at;  // when it would have expired

  bool operator==(const RevokedToken&) const = default;
};

struct TokenRevoked {
  RevokedToken token;
  RevocationReason reason = RevocationReason::kLogout;

  bool operator==(const TokenRevoked&) const = default;
};

using Event = std::variant<UserRegistered, CustomerProfileUpdated, UserRolesChanged, UserDisabled,
                           UserEnabled, TokenRevoked>;

// One TokenRevoked per token, in order.
std::vector<Event> Revocations(const std::vector<RevokedToken>& tokens, RevocationReason reason);

}  // namespace microstore::identity
