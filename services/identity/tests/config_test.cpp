#include "identity/infra/config.hpp"

#include <gtest/gtest.h>

#include <map>

#include "platform/auth/keys.hpp"

namespace microstore::identity {
namespace {

using Vars = std::map<std::string, std::string>;

class ConfigTest : public ::testing::Test {
 protected:
  ConfigTest()
      : keys_(auth::GenerateKeyPair("k1")),
        other_(auth::GenerateKeyPair("k2")),
        verifier_(std::get<auth::Verifier>(auth::Verifier::FromConfig(
            "k1:" + keys_.public_key + ",k0:" + other_.public_key, "test-issuer"))) {}

  Vars Good() const {
    return {{"MICROSTORE_JWT_SIGNING_KEY", "k1:" + keys_.seed},
            {"MICROSTORE_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2f"}};
  }

  Config Read(const Vars& vars, const auth::Verifier* verifier) {
    const auto lookup = [&vars](const char* name) -> const char* {
      const auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
    env_ = std::make_unique<config::Env>(lookup);
    return ReadConfig(*env_, verifier, lookup);
  }

  std::string Problems() {
    try {
      env_->Finish();
    } catch (const config::ConfigError& e) {
      return e.what();
    }
    return "";
  }

  auth::GeneratedKeyPair keys_;
  auth::GeneratedKeyPair other_;
  auth::Verifier verifier_;
  std::unique_ptr<config::Env> env_;
};

TEST_F(ConfigTest, DefaultsAreProductionValues) {
  Config config = Read(Good(), &verifier_);
  EXPECT_TRUE(config.complete) << Problems();
  ASSERT_TRUE(config.signer);
  EXPECT_EQ(config.signer->key_id(), "k1");
  EXPECT_EQ(config.tokens.issuer, "test-issuer");
  EXPECT_EQ(config.tokens.access_ttl, std::chrono::minutes(15));
  EXPECT_EQ(config.tokens.refresh_ttl, std::chrono::hours(24 * 30));
  EXPECT_EQ(config.password_cost.opslimit, InteractivePasswordCost().opslimit);
  EXPECT_EQ(config.password_cost.memlimit, InteractivePasswordCost().memlimit);
  EXPECT_FALSE(config.admin);
  EXPECT_EQ(env_->Describe().find("MICROSTORE_DB_URL"), std::string::npos);  // the platform documents it
}

TEST_F(ConfigTest, ReadsEverySetting) {
  Vars vars = Good();
  vars["MICROSTORE_IDENTITY_ACCESS_TTL"] = "5m";
  vars["MICROSTORE_IDENTITY_REFRESH_TTL"] = "2h";
  vars["MICROSTORE_IDENTITY_PASSWORD_OPSLIMIT"] = "1";
  vars["MICROSTORE_IDENTITY_PASSWORD_MEMLIMIT"] = "8KiB";
  vars["MICROSTORE_IDENTITY_ADMIN_EMAIL"] = " Root@Example.com";
  vars["MICROSTORE_IDENTITY_ADMIN_PASSWORD"] = "change-me-42";
  Config config = Read(vars, &verifier_);
  ASSERT_TRUE(config.complete) << Problems();
  EXPECT_EQ(config.tokens.access_ttl, std::chrono::minutes(5));
  EXPECT_EQ(config.tokens.refresh_ttl, std::chrono::hours(2));
  EXPECT_EQ(config.password_cost.opslimit, 1u);
  EXPECT_EQ(config.password_cost.memlimit, 8192u);
  ASSERT_TRUE(config.admin);
  EXPECT_EQ(config.admin->email, "root@example.com");
  EXPECT_EQ(config.admin->password, "change-me-42");
}

TEST_F(ConfigTest, NeedsASigningKeyTheVerifiersTrust) {
  Vars vars = Good();
  vars.erase("MICROSTORE_JWT_SIGNING_KEY");
  EXPECT_FALSE(Read(vars, &verifier_).complete);
  EXPECT_NE(Problems().find("MICROSTORE_JWT_SIGNING_KEY"), std::string::npos);

  vars["MICROSTORE_JWT_SIGNING_KEY"] = "k1:not-a-key";
  EXPECT_FALSE(Read(vars, &verifier_).complete);
  EXPECT_NE(Problems().find("MICROSTORE_JWT_SIGNING_KEY"), std::string::npos);

  // A valid key the public key list does not hold (k0 is trusted under another kid).
  vars["MICROSTORE_JWT_SIGNING_KEY"] = "k0:" + keys_.seed;
  EXPECT_FALSE(Read(vars, &verifier_).complete);
  EXPECT_NE(Problems().find("is not among MICROSTORE_JWT_PUBLIC_KEYS"), std::string::npos);
}

TEST_F(ConfigTest, NeedsPublicKeys) {
  EXPECT_FALSE(Read(Good(), nullptr).complete);
  EXPECT_NE(Problems().find("MICROSTORE_JWT_PUBLIC_KEYS"), std::string::npos);
}

TEST_F(ConfigTest, RefusesOutOfRangeValues) {
  Vars vars = Good();
  vars["MICROSTORE_IDENTITY_ACCESS_TTL"] = "5s";
  vars["MICROSTORE_IDENTITY_REFRESH_TTL"] = "9000h";
  vars["MICROSTORE_IDENTITY_PASSWORD_MEMLIMIT"] = "1KiB";
  vars["MICROSTORE_IDENTITY_PASSWORD_OPSLIMIT"] = "0";
  EXPECT_FALSE(Read(vars, &verifier_).complete);
  const std::string problems = Problems();
  for (const char* name :
       {"MICROSTORE_IDENTITY_ACCESS_TTL", "MICROSTORE_IDENTITY_REFRESH_TTL",
        "MICROSTORE_IDENTITY_PASSWORD_MEMLIMIT", "MICROSTORE_IDENTITY_PASSWORD_OPSLIMIT"}) {
    EXPECT_NE(problems.find(name), std::string::npos) << name << " in " << problems;
  }
}

TEST_F(ConfigTest, RefreshTokensMustOutliveAccessTokens) {
  Vars vars = Good();
  vars["MICROSTORE_IDENTITY_ACCESS_TTL"] = "2h";
  vars["MICROSTORE_IDENTITY_REFRESH_TTL"] = "1h";
  EXPECT_FALSE(Read(vars, &verifier_).complete);
  EXPECT_NE(Problems().find("MICROSTORE_IDENTITY_REFRESH_TTL"), std::string::npos);
  vars["MICROSTORE_IDENTITY_REFRESH_TTL"] = "2h";
  EXPECT_TRUE(Read(vars, &verifier_).complete) << Problems();
}

TEST_F(ConfigTest, TheAdminPairMustBeCompleteAndValid) {
  Vars vars = Good();
  vars["MICROSTORE_IDENTITY_ADMIN_EMAIL"] = "root@example.com";
  EXPECT_FALSE(Read(vars, &verifier_).complete);
  EXPECT_NE(Problems().find("MICROSTORE_IDENTITY_ADMIN_PASSWORD"), std::string::npos);

  vars["MICROSTORE_IDENTITY_ADMIN_PASSWORD"] = "short";
  EXPECT_FALSE(Read(vars, &verifier_).complete);
  const std::string problems = Problems();
  EXPECT_NE(problems.find("at least 10 characters"), std::string::npos);
  EXPECT_EQ(problems.find("short"), std::string::npos) << "the secret leaked: " << problems;

  vars["MICROSTORE_IDENTITY_ADMIN_PASSWORD"] = "a-good-password-1";
  vars["MICROSTORE_IDENTITY_ADMIN_EMAIL"] = "root";
  EXPECT_FALSE(Read(vars, &verifier_).complete);
  EXPECT_NE(Problems().find("MICROSTORE_IDENTITY_ADMIN_EMAIL"), std::string::npos);
}

TEST(AskedForHelp, SpotsTheFlag) {
  char name[] = "microstore-identity";
  char help[] = "--help";
  char h[] = "-h";
  char other[] = "--other";
  char* with_help[] = {name, other, help};
  char* with_h[] = {name, h};
  char* without[] = {name, other};
  EXPECT_TRUE(AskedForHelp(3, with_help));
  EXPECT_TRUE(AskedForHelp(2, with_h));
  EXPECT_FALSE(AskedForHelp(2, without));
  EXPECT_FALSE(AskedForHelp(1, without));
}

}  // namespace
}  // namespace microstore::identity
