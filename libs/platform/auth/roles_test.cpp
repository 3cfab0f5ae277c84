#include "platform/auth/roles.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace microstore::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Principal WithRoles(RoleSet roles) { return Principal{"user-1", roles, "jti-1", {}}; }

TEST(RoleTest, WireNamesRoundTrip) {
  EXPECT_EQ(ToString(Role::kCustomer), "CUSTOMER");
  EXPECT_EQ(ToString(Role::kOperator), "OPERATOR");
  EXPECT_EQ(ToString(Role::kStockOperator), "STOCK_OPERATOR");
  EXPECT_EQ(ToString(Role::kShippingOperator), "SHIPPING_OPERATOR");
  EXPECT_EQ(ToString(Role::kAdmin), "ADMIN");
  for (Role role : kAllRoles) EXPECT_EQ(ParseRole(ToString(role)), role);
}

TEST(RoleTest, ParseIsExactAndCaseSensitive) {
  for (const char* name :
       {"", "admin", "Admin", " ADMIN", "ADMIN ", "ADMINS", "ADM", "STOCK-OPERATOR", "SUPERUSER"}) {
    EXPECT_EQ(ParseRole(name), std::nullopt) << '"' << name << '"';
  }
  EXPECT_EQ(ParseRole(std::string_view("ADMIN\0", 6)), std::nullopt);
}

TEST(RoleSetTest, StartsEmpty) {
  RoleSet roles;
  EXPECT_TRUE(roles.Empty());
  EXPECT_EQ(roles.Size(), 0);
  EXPECT_EQ(roles.begin(), roles.end());
  EXPECT_THAT(roles.ToStrings(), IsEmpty());
  EXPECT_EQ(roles.Join(), "");
  for (Role role : kAllRoles) EXPECT_FALSE(roles.Has(role));
}

TEST(RoleSetTest, AddHasRemove) {
  RoleSet roles;
  roles.Add(Role::kStockOperator);
  roles.Add(Role::kStockOperator);
  EXPECT_TRUE(roles.Has(Role::kStockOperator));
  EXPECT_FALSE(roles.Has(Role::kAdmin));
  EXPECT_FALSE(roles.Has(Role::kOperator));
  EXPECT_EQ(roles.Size(), 1);
  roles.Add(Role::kAdmin);
  EXPECT_EQ(roles.Size(), 2);
  roles.Remove(Role::kStockOperator);
  EXPECT_FALSE(roles.Has(Role::kStockOperator));
  EXPECT_TRUE(roles.Has(Role::kAdmin));
  EXPECT_EQ(roles, RoleSet({Role::kAdmin}));
}

TEST(RoleSetTest, IteratesInRoleOrderWhateverTheInsertionOrder) {
  const RoleSet roles = {Role::kAdmin, Role::kCustomer, Role::kShippingOperator};
  std::vector<Role> seen(roles.begin(), roles.end());
  EXPECT_THAT(seen, ElementsAre(Role::kCustomer, Role::kShippingOperator, Role::kAdmin));
  EXPECT_THAT(roles.ToStrings(), ElementsAre("CUSTOMER", "SHIPPING_OPERATOR", "ADMIN"));
  EXPECT_EQ(roles.Join(), "CUSTOMER, SHIPPING_OPERATOR, ADMIN");

  RoleSet all;
  for (Role role : kAllRoles) all.Add(role);
  EXPECT_EQ(all.Size(), 5);
  EXPECT_EQ(std::vector<Role>(all.begin(), all.end()), std::vector<Role>(kAllRoles.begin(), kAllRoles.end()));
}

TEST(RoleSetTest, Intersects) {
  const RoleSet ops = {Role::kOperator, Role::kStockOperator};
  EXPECT_TRUE(ops.Intersects({Role::kStockOperator, Role::kAdmin}));
  EXPECT_FALSE(ops.Intersects({Role::kAdmin, Role::kCustomer}));
  EXPECT_FALSE(ops.Intersects({}));
  EXPECT_FALSE(RoleSet{}.Intersects(RoleSet{}));
}

TEST(AccessTest, PublicAllowsEveryoneAndSaysSo) {
  const Access access = Access::Public();
  EXPECT_TRUE(access.IsPublic());
  EXPECT_TRUE(access.Allows(WithRoles({})));
  EXPECT_TRUE(access.Allows(WithRoles({Role::kCustomer})));
  EXPECT_EQ(access.Describe(), "public");
}

TEST(AccessTest, AuthenticatedIsNotPublicButAllowsAnyPrincipal) {
  const Access access = Access::Authenticated();
  EXPECT_FALSE(access.IsPublic());
  EXPECT_TRUE(access.Allows(WithRoles({})));
  EXPECT_TRUE(access.Allows(WithRoles({Role::kShippingOperator})));
  EXPECT_EQ(access.Describe(), "requires authentication");
}

TEST(AccessTest, AnyOfAllowsOnlyPrincipalsWithOneOfTheRoles) {
  const Access access = Access::AnyOf({Role::kAdmin, Role::kStockOperator});
  EXPECT_FALSE(access.IsPublic());
  EXPECT_EQ(access.required_roles(), RoleSet({Role::kStockOperator, Role::kAdmin}));
  EXPECT_TRUE(access.Allows(WithRoles({Role::kAdmin})));
  EXPECT_TRUE(access.Allows(WithRoles({Role::kStockOperator})));
  EXPECT_TRUE(access.Allows(WithRoles({Role::kCustomer, Role::kStockOperator})));
  EXPECT_FALSE(access.Allows(WithRoles({})));
  EXPECT_FALSE(access.Allows(WithRoles({Role::kCustomer})));
  EXPECT_FALSE(access.Allows(WithRoles({Role::kOperator, Role::kShippingOperator})));
}

TEST(AccessTest, AdminIsNotImplicitlyEveryRole) {
  const Access stock = Access::AnyOf({Role::kStockOperator});
  EXPECT_FALSE(stock.Allows(WithRoles({Role::kAdmin})));
  EXPECT_FALSE(Access::AnyOf({Role::kCustomer}).Allows(WithRoles({Role::kAdmin})));
  EXPECT_FALSE(Access::AnyOf({Role::kStockOperator}).Allows(WithRoles({Role::kOperator})));
}

TEST(AccessTest, DescribesRequiredRolesInRoleOrder) {
  EXPECT_EQ(Access::AnyOf({Role::kAdmin}).Describe(), "requires role ADMIN");
  EXPECT_EQ(Access::AnyOf({Role::kAdmin, Role::kOperator}).Describe(), "requires one of OPERATOR, ADMIN");
}

TEST(AccessTest, Equality) {
  EXPECT_EQ(Access::Public(), Access::Public());
  EXPECT_NE(Access::Public(), Access::Authenticated());
  EXPECT_NE(Access::AnyOf({Role::kAdmin}), Access::AnyOf({Role::kOperator}));
}

}  // namespace
}  // namespace microstore::auth
