#include "platform/auth/roles.hpp"

#include <bit>
#include <cassert>

namespace microstore::auth {

namespace {

constexpr std::array<std::string_view, kAllRoles.size()> kRoleNames = {
    "CUSTOMER", "OPERATOR", "STOCK_OPERATOR", "SHIPPING_OPERATOR", "ADMIN"};

}  // namespace

std::string_view ToString(Role role) {
  const auto index = static_cast<std::size_t>(role);
  assert(index < kRoleNames.size());
  return kRoleNames[index];
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : kAllRoles) {
    if (kRoleNames[static_cast<std::size_t>(role)] == name) return role;
  }
  return std::nullopt;
}

int RoleSet::Size() const { return std::popcount(bits_); }

std::vector<std::string> RoleSet::ToStrings() const {
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(Size()));
  for (Role role : *this) names.emplace_back(ToString(role));
  return names;
}

std::string RoleSet::Join() const {
  std::string text;
  for (Role role : *this) {
    if (!text.empty()) text += ", ";
    text += ToString(role);
  }
  return text;
}

Access Access::Public() { return Access(Kind::kPublic, {}); }

Access Access::Authenticated() { return Access(Kind::kAuthenticated, {}); }

Access Access::AnyOf(RoleSet roles) {
  assert(!roles.Empty());
  return Access(Kind::kAnyOf, roles);
}

bool Access::Allows(const Principal& principal) const {
  switch (kind_) {
    case Kind::kPublic:
    case Kind::kAuthenticated:
      return true;
    case Kind::kAnyOf:
      return roles_.Intersects(principal.roles);
  }
  return false;
}

std::string Access::Describe() const {
  switch (kind_) {
    case Kind::kPublic:
      return "public";
    case Kind::kAuthenticated:
      return "requires authentication";
    case Kind::kAnyOf:
      if (roles_.Size() == 1) return "requires role " + roles_.Join();
      return "requires one of " + roles_.Join();
  }
  return "nobody";
}

}  // namespace microstore::auth
