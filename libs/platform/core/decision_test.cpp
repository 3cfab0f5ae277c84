#include "platform/core/decision.hpp"

#include <gtest/gtest.h>

namespace microstore::core {
namespace {

struct Counter {
  int value = 0;
  bool operator==(const Counter&) const = default;
};
using CounterDecision = Decision<Counter, std::string>;

// A tiny state machine in the shape every service's domain uses.
CounterDecision Increment(const Counter& current, int seen_version) {
  if (seen_version < current.value) return Stale("version " + std::to_string(seen_version) + " is behind");
  if (seen_version == current.value) return Ignored("already counted");
  return Changed<Counter, std::string>{{current.value + 1}, {"Incremented"}};
}

TEST(Decision, AChangeCarriesTheNextStateAndItsEvents) {
  CounterDecision decision = Increment({2}, 3);
  ASSERT_EQ(IfUnchanged(decision), nullptr);
  EXPECT_EQ(ChangedOf(decision).next, Counter{3});
  EXPECT_EQ(ChangedOf(decision).events, std::vector<std::string>{"Incremented"});
}

TEST(Decision, NothingChangedSaysWhyAndHowWorrying) {
  const CounterDecision stale = Increment({2}, 1);
  ASSERT_NE(IfUnchanged(stale), nullptr);
  EXPECT_EQ(IfUnchanged(stale)->kind, Unchanged::Kind::kStale);
  EXPECT_EQ(IfUnchanged(stale)->why, "version 1 is behind");
  EXPECT_EQ(*IfUnchanged(Increment({2}, 2)), Ignored("already counted"));
  EXPECT_EQ(Contradiction("x").kind, Unchanged::Kind::kContradiction);
}

}  // namespace
}  // namespace microstore::core
