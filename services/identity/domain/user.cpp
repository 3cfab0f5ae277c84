#include "identity/domain/user.hpp"

namespace microstore::identity {

std::string_view ToString(Channel channel) {
  switch (channel) {
    case Channel::kEmail:
      return "EMAIL";
    case Channel::kSms:
      return "SMS";
  }
  return "EMAIL";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  if (name == "EMAIL") return Channel::kEmail;
  if (name == "SMS") return Channel::kSms;
  return std::nullopt;
}

std::vector<std::string> ToStrings(const std::vector<Channel>& channels) {
  std::vector<std::string> names;
  names.reserve(channels.size());
  for (Channel channel : channels) names.emplace_back(ToString(channel));
  return names;
}

std::string_view StatusOf(const User& user) { return user.disabled ? "DISABLED" : "ACTIVE"; }

User NewUser(std::string id, std::string email, Profile profile, auth::RoleSet roles, Timestamp now) {
  User user;
  user.id = std::move(id);
  user.email = std::move(email);
  user.profile = std::move(profile);
  user.roles = roles;
  user.created_at = now;
  user.updated_at = now;
  return user;
}

UserCursor CursorAt(const User& user) {
  return {std::chrono::duration_cast<std::chrono::milliseconds>(user.created_at.time_since_epoch()).count(),
          user.id};
}

}  // namespace microstore::identity
