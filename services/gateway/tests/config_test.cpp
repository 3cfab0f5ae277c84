#include "gateway/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

namespace microstore::gateway {
namespace {

using namespace std::chrono_literals;

struct Read {
  GatewayConfig config;
  std::string problems;  // "" when Finish() passed
};

Read ReadFrom(std::map<std::string, std::string> variables) {
  config::Env env([variables = std::move(variables)](const char* name) -> const char* {
    const auto found = variables.find(name);
    return found == variables.end() ? nullptr : found->second.c_str();
  });
  Read read{ReadConfig(env), ""};
  try {
    env.Finish();
  } catch (const config::ConfigError& e) {
    read.problems = e.what();
  }
  return read;
}

TEST(ReadConfig, Defaults) {
  const auto read = ReadFrom({{"MICROSTORE_IDENTITY_URL", "http://127.0.0.1:8081"},
                              {"MICROSTORE_CATALOG_URL", "http://127.0.0.1:8082, http://127.0.0.1:8092"}});
  ASSERT_EQ(read.problems, "");
  ASSERT_EQ(read.config.areas.size(), 2u);
  EXPECT_EQ(read.config.areas[0].name, "identity");
  EXPECT_EQ(read.config.areas[0].instances, (std::vector<UpstreamAddress>{{"127.0.0.1", 8081}}));
  EXPECT_EQ(read.config.areas[1].name, "catalog");
  EXPECT_EQ(read.config.areas[1].instances.size(), 2u);
  EXPECT_EQ(read.config.health_interval, 2s);
  EXPECT_EQ(read.config.connect_timeout, 2s);
  EXPECT_EQ(read.config.upstream_timeout, 10s);
  EXPECT_EQ(read.config.rate_limit, 50);
  EXPECT_EQ(read.config.rate_burst, 100);
  EXPECT_FALSE(read.config.cors.Enabled());
  EXPECT_EQ(read.config.static_dir, "");
}

TEST(ReadConfig, EveryProblemIsNamed) {
  const auto read = ReadFrom({{"MICROSTORE_GATEWAY_AREAS", "orders,Bad_Area,orders,stock,gateway"},
                              {"MICROSTORE_ORDERS_URL", "http://ok:1,https://nope:2"},
                              {"MICROSTORE_GATEWAY_CORS_ORIGINS", "shop.example"},
                              {"MICROSTORE_GATEWAY_RATE_LIMIT", "-1"},
                              {"MICROSTORE_GATEWAY_STATIC_DIR", "/definitely/not/here"}});
  EXPECT_NE(read.problems.find("Bad_Area"), std::string::npos) << read.problems;
  EXPECT_NE(read.problems.find("listed twice"), std::string::npos) << read.problems;
  EXPECT_NE(read.problems.find("'gateway' is the gateway's own"), std::string::npos) << read.problems;
  EXPECT_NE(read.problems.find("https://nope:2"), std::string::npos) << read.problems;
  EXPECT_NE(read.problems.find("MICROSTORE_STOCK_URL"), std::string::npos) << read.problems;
  EXPECT_NE(read.problems.find("MICROSTORE_GATEWAY_CORS_ORIGINS"), std::string::npos) << read.problems;
  EXPECT_NE(read.problems.find("MICROSTORE_GATEWAY_RATE_LIMIT"), std::string::npos) << read.problems;
  EXPECT_NE(read.problems.find("MICROSTORE_GATEWAY_STATIC_DIR"), std::string::npos) << read.problems;
}

TEST(ReadConfig, OwnSettings) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto read = ReadFrom({{"MICROSTORE_GATEWAY_AREAS", "catalog"},
                              {"MICROSTORE_CATALOG_URL", "http://catalog"},
                              {"MICROSTORE_GATEWAY_HEALTH_INTERVAL", "250ms"},
                              {"MICROSTORE_GATEWAY_UPSTREAM_TIMEOUT", "1s"},
                              {"MICROSTORE_GATEWAY_RATE_LIMIT", "0"},
                              {"MICROSTORE_GATEWAY_CORS_ORIGINS", "*"},
                              {"MICROSTORE_GATEWAY_STATIC_DIR", dir.string()}});
  ASSERT_EQ(read.problems, "");
  EXPECT_EQ(read.config.health_interval, 250ms);
  EXPECT_EQ(read.config.upstream_timeout, 1s);
  EXPECT_EQ(read.config.rate_limit, 0);
  EXPECT_TRUE(read.config.cors.Allows("https://anyone.example"));
  EXPECT_EQ(read.config.static_dir, dir.string());
}

}  // namespace
}  // namespace microstore::gateway
