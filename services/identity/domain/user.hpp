#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/auth/roles.hpp"

// The user aggregate: an account (e-mail, roles, enabled or not) and the customer's contact
// profile. Pure values; the password hash never enters the domain.
namespace microstore::identity {

using Timestamp = std::chrono::system_clock::time_point;

// Where a customer wants to be notified.
enum class Channel { kEmail, kSms };
std::string_view ToString(Channel channel);
// The channel with exactly this wire name ("EMAIL", "SMS"); nullopt otherwise.
std::optional<Channel> ParseChannel(std::string_view name);
std::vector<std::string> ToStrings(const std::vector<Channel>& channels);

struct Profile {
  std::string first_name;            // 1–100 characters, trimmed
  std::string last_name;             // 1–100 characters, trimmed
  std::optional<std::string> phone;  // "+" and 7–15 digits; nullopt when none
  std::vector<Channel> channels;     // distinct, in enum order, never empty

  bool operator==(const Profile&) const = default;
};

struct User {
  std::string id;     // UUID
  std::string email;  // normalised (NormalizeEmail)
  Profile profile;
  auth::RoleSet roles;
  bool disabled = false;
  Timestamp created_at;
  Timestamp updated_at;
  std::int64_t version = 1;  // 1 at registration, +1 per change

  bool operator==(const User&) const = default;
};

// The aggregate status carried by events: "ACTIVE" or "DISABLED".
std::string_view StatusOf(const User& user);

// A new user as registration creates it: version 1, enabled, created and updated at `now`.
User NewUser(std::string id, std::string email, Profile profile, auth::RoleSet roles, Timestamp now);

// Where a page of the user listing ends: users are listed in (created_at, id) order, and the
// next page starts after this position.
struct UserCursor {
  std::int64_t created_at_ms = 0;  // milliseconds since the epoch
  std::string id;                  // lower-case UUID

  bool operator==(const UserCursor&) const = default;
};

// The position of `user` in the listing.
UserCursor CursorAt(const User& user);

}  // namespace microstore::identity
