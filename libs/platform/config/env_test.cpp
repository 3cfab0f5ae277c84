#include "platform/config/env.hpp"

#include <gtest/gtest.h>

#include <map>

namespace microstore::config {
namespace {

struct FakeEnvironment {
  std::map<std::string, std::string> values;
  Env Make() const {
    return Env([this](const char* name) -> const char* {
      auto it = values.find(name);
      return it == values.end() ? nullptr : it->second.c_str();
    });
  }
};

TEST(Env, DefaultsApplyWhenUnsetOrEmpty) {
  FakeEnvironment fake{{{"EMPTY", ""}}};
  Env env = fake.Make();
  EXPECT_EQ(env.String("UNSET", "x", "d"), "x");
  EXPECT_EQ(env.String("EMPTY", "y", "d"), "y");
  EXPECT_EQ(env.Int("PORT", 8080, 1, 65535, "d"), 8080);
  EXPECT_NO_THROW(env.Finish());
}

TEST(Env, ParsesTypedValues) {
  FakeEnvironment fake{{{"PORT", "9000"},
                        {"FLAG", "yes"},
                        {"WAIT", "5s"},
                        {"WAIT_MS", "250"},
                        {"SIZE", "16KiB"},
                        {"MODE", "b"}}};
  Env env = fake.Make();
  EXPECT_EQ(env.Int("PORT", 1, 1, 65535, "d"), 9000);
  EXPECT_TRUE(env.Bool("FLAG", false, "d"));
  EXPECT_EQ(env.Duration("WAIT", std::chrono::milliseconds(1), "d"), std::chrono::seconds(5));
  EXPECT_EQ(env.Duration("WAIT_MS", std::chrono::milliseconds(1), "d"), std::chrono::milliseconds(250));
  EXPECT_EQ(env.Bytes("SIZE", 1, "d"), 16u * 1024);
  EXPECT_EQ(env.OneOf("MODE", "a", {"a", "b"}, "d"), "b");
  EXPECT_NO_THROW(env.Finish());
}

TEST(Env, ReportsEveryBadVariableByName) {
  FakeEnvironment fake{{{"PORT", "70000"}, {"WAIT", "soon"}, {"FLAG", "maybe"}, {"SIZE", "3 apples"}}};
  Env env = fake.Make();
  env.Int("PORT", 8080, 1, 65535, "d");
  env.Duration("WAIT", std::chrono::milliseconds(1), "d");
  env.Bool("FLAG", false, "d");
  env.Bytes("SIZE", 1, "d");
  env.Required("SECRET", "the signing key", true);
  try {
    env.Finish();
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    for (const char* name : {"PORT='70000'", "WAIT='soon'", "FLAG='maybe'", "SIZE='3 apples'", "SECRET is required"}) {
      EXPECT_NE(message.find(name), std::string::npos) << name << " missing from: " << message;
    }
  }
}

TEST(Env, DescribeListsVariablesButNotSecrets) {
  FakeEnvironment fake{{{"KEY", "very-secret-value"}}};
  Env env = fake.Make();
  env.String("HOST", "127.0.0.1", "address to listen on");
  env.Required("KEY", "signing key", true);
  const std::string table = env.Describe();
  EXPECT_NE(table.find("`HOST` | `127.0.0.1` | address to listen on"), std::string::npos) << table;
  EXPECT_EQ(table.find("very-secret-value"), std::string::npos);
}

}  // namespace
}  // namespace microstore::config
