#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Roles, the authenticated principal and per-route access rules.
//
// Roles are flat: no role implies another. In particular ADMIN does not implicitly hold
// OPERATOR, STOCK_OPERATOR or any other role; a route that admins may use lists ADMIN
// explicitly (`Access::AnyOf({Role::kAdmin, Role::kStockOperator})`). This keeps every route's
// audience readable at the route and makes adding a role never widen an existing route.
namespace microstore::auth {

enum class Role : std::uint8_t { kCustomer, kOperator, kStockOperator, kShippingOperator, kAdmin };

inline constexpr std::array<Role, 5> kAllRoles = {Role::kCustomer, Role::kOperator, Role::kStockOperator,
                                                  Role::kShippingOperator, Role::kAdmin};

// The wire name used in tokens and documentation: "CUSTOMER", "OPERATOR", "STOCK_OPERATOR",
// "SHIPPING_OPERATOR", "ADMIN".
std::string_view ToString(Role role);

// The role with exactly this wire name (case-sensitive); nullopt for anything else.
std::optional<Role> ParseRole(std::string_view name);

// A set of roles, stored as a bitmask. Iterates (and prints) in the order of `Role`.
class RoleSet {
 public:
  class Iterator {
   public:
    using value_type = Role;
    using difference_type = std::ptrdiff_t;

    Iterator() = default;
    Role operator*() const { return static_cast<Role>(index_); }
    Iterator& operator++() {
      index_ = Next(bits_, index_ + 1);
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Iterator&) const = default;

   private:
    friend class RoleSet;
    Iterator(std::uint8_t bits, int index) : bits_(bits), index_(Next(bits, index)) {}
    static int Next(std::uint8_t bits, int index) {
      while (index < kRoleCount && (bits & (1u << index)) == 0) ++index;
      return index;
    }

    std::uint8_t bits_ = 0;
    int index_ = kRoleCount;
  };

  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role role : roles) Add(role);
  }

  constexpr bool Has(Role role) const { return (bits_ & Bit(role)) != 0; }
  constexpr void Add(Role role) { bits_ |= Bit(role); }
  constexpr void Remove(Role role) { bits_ &= static_cast<std::uint8_t>(~Bit(role)); }
  constexpr bool Empty() const { return bits_ == 0; }
  constexpr bool Intersects(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  int Size() const;

  Iterator begin() const { return Iterator(bits_, 0); }
  Iterator end() const { return Iterator(bits_, kRoleCount); }

  // The wire names, in the order of `Role`.
  std::vector<std::string> ToStrings() const;
  // The wire names joined by ", " (empty text for the empty set).
  std::string Join() const;

  constexpr bool operator==(const RoleSet&) const = default;

 private:
  static constexpr int kRoleCount = static_cast<int>(kAllRoles.size());
  static constexpr std::uint8_t Bit(Role role) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(role));
  }

  std::uint8_t bits_ = 0;
};

// Who is calling, as established by a verified token.
struct Principal {
  std::string subject;
  RoleSet roles;
  std::string token_id;  // the token's `jti`; empty when the token had none
  std::chrono::system_clock::time_point expires_at;
};

// Who may call a route. A route is either public (no token needed), open to any caller with a
// valid token, or open to callers holding at least one of a set of roles.
//
// The caller decides the HTTP outcome: for a non-public route, a missing or invalid token is 401;
// a valid token whose principal `Allows` refuses is 403.
class Access {
 public:
  static Access Public();
  static Access Authenticated();
  // At least one of `roles` is required. `roles` must not be empty (a rule nobody can pass is
  // a mistake, not a policy); in release builds an empty set refuses everyone.
  static Access AnyOf(RoleSet roles);

  bool IsPublic() const { return kind_ == Kind::kPublic; }
  // True when `principal` may call the route. Public and authenticated routes allow every
  // principal; AnyOf routes need a role in common. Roles do not imply one another.
  bool Allows(const Principal& principal) const;
  // The roles an AnyOf rule accepts; empty for the other kinds.
  RoleSet required_roles() const { return roles_; }
  // A short text for documentation and 403 bodies: "public", "requires authentication",
  // "requires role ADMIN", "requires one of OPERATOR, ADMIN".
  std::string Describe() const;

  bool operator==(const Access&) const = default;

 private:
  enum class Kind : std::uint8_t { kPublic, kAuthenticated, kAnyOf };
  Access(Kind kind, RoleSet roles) : kind_(kind), roles_(roles) {}

  Kind kind_;
  RoleSet roles_;
};

}  // namespace microstore::auth
