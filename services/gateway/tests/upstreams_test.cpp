#include "gateway/domain/upstreams.hpp"

#include <gtest/gtest.h>

namespace microstore::gateway {
namespace {

TEST(UpstreamRing, GoesRoundInTurn) {
  UpstreamRing ring(3);
  EXPECT_EQ(ring.Pick(), 0u);
  EXPECT_EQ(ring.Pick(), 1u);
  EXPECT_EQ(ring.Pick(), 2u);
  EXPECT_EQ(ring.Pick(), 0u);
}

TEST(UpstreamRing, SkipsUnhealthyInstances) {
  UpstreamRing ring(3);
  ring.SetHealthy(1, false);
  EXPECT_EQ(ring.Pick(), 0u);
  EXPECT_EQ(ring.Pick(), 2u);
  EXPECT_EQ(ring.Pick(), 0u);
  EXPECT_EQ(ring.HealthyCount(), 2u);
  ring.SetHealthy(1, true);
  EXPECT_EQ(ring.Pick(), 1u);
  EXPECT_EQ(ring.Pick(), 2u);
}

TEST(UpstreamRing, NoneWhenAllAreUnhealthy) {
  UpstreamRing ring(2);
  ring.SetHealthy(0, false);
  ring.SetHealthy(1, false);
  EXPECT_EQ(ring.Pick(), std::nullopt);
  EXPECT_EQ(ring.HealthyCount(), 0u);
  UpstreamRing empty(0);
  EXPECT_EQ(empty.Pick(), std::nullopt);
}

TEST(UpstreamRing, ARetryMovesToAnotherInstance) {
  UpstreamRing ring(3);
  EXPECT_EQ(ring.Pick(), 0u);
  EXPECT_EQ(ring.Pick(0), 1u);  // next in turn anyway
  EXPECT_EQ(ring.Pick(2), 0u);  // 2 was next; excluded
  ring.SetHealthy(2, false);
  EXPECT_EQ(ring.Pick(1), 0u);
}

TEST(UpstreamRing, ARetryWithoutAnotherHealthyInstanceGetsNone) {
  UpstreamRing single(1);
  EXPECT_EQ(single.Pick(0), std::nullopt);
  UpstreamRing ring(2);
  ring.SetHealthy(1, false);
  EXPECT_EQ(ring.Pick(0), std::nullopt);
}

}  // namespace
}  // namespace microstore::gateway
