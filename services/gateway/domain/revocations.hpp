#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

// What the gateway knows about revoked tokens and disabled users, learned from identity's events
// (TokenRevoked, UserDisabled, UserEnabled). The database is the shared record; every replica
// keeps this in-memory copy so that checking a request is a hash lookup, not a query.
namespace microstore::gateway {

using WallClock = std::chrono::system_clock;

// A revoked access token, by its `jti`.
struct RevokedToken {
  std::string token_id;
  std::string user_id;
  WallClock::time_point expires_at;  // when the token would have expired anyway
  std::string reason;                // "logout", "refresh_reuse", "user_disabled", …
};

// A user's enabled/disabled state at an aggregate version of identity's user.
struct UserState {
  std::string user_id;
  std::int64_t version = 0;
  bool disabled = false;
};

// Events may arrive in any order (R4): a user state replaces the known one only with a higher
// version. An equal version is the same change seen again.
bool Supersedes(std::int64_t incoming_version, std::optional<std::int64_t> known_version);

enum class Refusal { kNone, kTokenRevoked, kUserDisabled };

// The text of a 401 for the refusal.
std::string_view Describe(Refusal refusal);

class RevocationCache {
 public:
  void RevokeToken(std::string token_id, WallClock::time_point expires_at);
  // Applies `state` when it Supersedes the known version of that user; true when applied.
  bool ApplyUser(const UserState& state);

  // Why a token of `subject` with id `token_id` ("" when it has none) is refused, if it is.
  Refusal Check(std::string_view subject, std::string_view token_id) const;

  // Forgets revoked tokens that expired before `cutoff`: token verification refuses them anyway.
  // Returns how many.
  std::size_t ForgetExpired(WallClock::time_point cutoff);
  void Clear();

  std::size_t revoked_tokens() const { return tokens_.size(); }
  std::size_t disabled_users() const { return disabled_users_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  struct KnownUser {
    std::int64_t version = 0;
    bool disabled = false;
  };

  std::unordered_map<std::string, WallClock::time_point, Hash, std::equal_to<>> tokens_;
  std::unordered_map<std::string, KnownUser, Hash, std::equal_to<>> users_;
  std::size_t disabled_users_ = 0;
};

// An RFC 3339 timestamp ("2026-11-23T10:00:00.123Z", "2026-11-23T13:00:00+03:00"; fraction
// optional, 1–9 digits); nullopt when the text is not one, names an impossible date, or lies
// outside what a WallClock time point holds (the years 1678 to 2262).
std::optional<WallClock::time_point> ParseRfc3339(std::string_view text);

}  // namespace microstore::gateway
