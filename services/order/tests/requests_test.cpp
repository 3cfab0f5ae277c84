// The rules of a create request on plain values: line counts, quantities, one line per product,
// and the fingerprint that tells a replay from a different request.
#include "order/domain/requests.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "platform/core/encoding.hpp"

namespace microstore::order {
namespace {

const std::string kChair = "11111111-1111-4111-8111-111111111111";
const std::string kTable = "22222222-2222-4222-8222-222222222222";

TEST(CreateOrderRules, LinesQuantitiesAndOneLinePerProduct) {
  EXPECT_FALSE(IsLineCount(0));
  EXPECT_TRUE(IsLineCount(1));
  EXPECT_TRUE(IsLineCount(100));
  EXPECT_FALSE(IsLineCount(101));
  EXPECT_FALSE(IsQuantity(0));
  EXPECT_TRUE(IsQuantity(1));
  EXPECT_TRUE(IsQuantity(1000));
  EXPECT_FALSE(IsQuantity(1001));
  EXPECT_FALSE(IsQuantity(-1));
  const std::vector<RequestedLine> lines{{kChair, 1}, {kTable, 2}};
  EXPECT_EQ(LineOrdering(lines, kTable), 1u);
  EXPECT_EQ(LineOrdering(lines, "33333333-3333-4333-8333-333333333333"), std::nullopt);
}

TEST(RequestFingerprint, DependsOnEveryLineAndItsOrder) {
  const std::vector<RequestedLine> lines{{kChair, 1}, {kTable, 2}};
  EXPECT_EQ(RequestFingerprint(lines), RequestFingerprint({{kChair, 1}, {kTable, 2}}));
  EXPECT_NE(RequestFingerprint(lines), RequestFingerprint({{kChair, 1}, {kTable, 3}}));
  EXPECT_NE(RequestFingerprint(lines), RequestFingerprint({{kTable, 2}, {kChair, 1}}));
  EXPECT_NE(RequestFingerprint(lines), RequestFingerprint({{kChair, 1}}));
  EXPECT_EQ(RequestFingerprint(lines).size(), 64u);
  // The digest of the JSON the stored fingerprints were made from.
  EXPECT_EQ(RequestFingerprint(lines),
            core::Sha256Hex(nlohmann::json::array({{kChair, 1}, {kTable, 2}}).dump()));
  EXPECT_EQ(RequestFingerprint({}), core::Sha256Hex(nlohmann::json::array().dump()));
}

}  // namespace
}  // namespace microstore::order
