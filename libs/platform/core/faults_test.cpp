#include "platform/core/faults.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace microstore::core {
namespace {

// Death tests re-run this binary for each case ("threadsafe" style), so every case starts with
// fresh fault settings read from the environment it sets.
class FaultPointDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(FaultPointDeathTest, UnnamedPointDoesNothing) {
  EXPECT_EXIT(
      {
        ::setenv("MICROSTORE_FAULTS", "other.point:kill", 1);
        FaultPoint("this.point");
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(FaultPointDeathTest, NamedPointKillsAtTheFirstPass) {
  EXPECT_EXIT(
      {
        ::setenv("MICROSTORE_FAULTS", "a:kill,outbox.after_publish:kill", 1);
        FaultPoint("outbox.after_publish");
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGKILL), "");
}

TEST_F(FaultPointDeathTest, HangBlocksTheThreadThatPassesThePoint) {
  EXPECT_EXIT(
      {
        ::setenv("MICROSTORE_FAULTS", "stuck:hang", 1);
        std::thread([] {
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
          std::_Exit(7);  // only reached because the point below never returns
        }).detach();
        FaultPoint("stuck");
        std::exit(0);
      },
      ::testing::ExitedWithCode(7), "");
}

TEST_F(FaultPointDeathTest, KillsAtTheRequestedPass) {
  EXPECT_EXIT(
      {
        ::setenv("MICROSTORE_FAULTS", "p:kill@3", 1);
        FaultPoint("p");
        FaultPoint("p");
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(
      {
        ::setenv("MICROSTORE_FAULTS", "p:kill@3", 1);
        FaultPoint("p");
        FaultPoint("p");
        FaultPoint("p");
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGKILL), "");
}

}  // namespace
}  // namespace microstore::core
