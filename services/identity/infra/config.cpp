#include "identity/infra/config.hpp"

#include <cstring>

#include "identity/domain/validation.hpp"

namespace microstore::identity {
namespace {

using namespace std::chrono_literals;

std::chrono::seconds Seconds(std::chrono::milliseconds duration) {
  return std::chrono::duration_cast<std::chrono::seconds>(duration);
}

// The signing key must verify with a trusted key, or every token identity issues would be refused.
void CheckSignerIsTrusted(config::Env& env, const auth::Signer& signer, const auth::Verifier& verifier) {
  const auto now = std::chrono::system_clock::now();
  const std::string probe = signer.Sign({"probe", {}, "", verifier.issuer(), now, now + 1min});
  if (std::holds_alternative<auth::VerifyError>(verifier.Verify(probe, now))) {
    env.Reject("MICROSTORE_JWT_SIGNING_KEY",
               "its public key (kid " + signer.key_id() + ") is not among MICROSTORE_JWT_PUBLIC_KEYS");
  }
}

}  // namespace

Config ReadConfig(config::Env& env, const auth::Verifier* verifier,
                  const config::Env::Lookup& platform_lookup) {
  Config config;
  const std::string signing_key = env.Required(
      "MICROSTORE_JWT_SIGNING_KEY", "token signing key `kid:BASE64URL_SEED` (from microstore-keygen)", true);
  const auto access_ttl =
      env.Duration("MICROSTORE_IDENTITY_ACCESS_TTL", 15min, "access token lifetime (10s to 24h)");
  const auto refresh_ttl = env.Duration("MICROSTORE_IDENTITY_REFRESH_TTL", 30 * 24h,
                                        "refresh token lifetime (1m to 8760h, at least the access TTL)");
  const PasswordCost interactive = InteractivePasswordCost();
  const PasswordCost lowest = MinimumAllowedCost();
  const PasswordCost highest = MaximumAllowedCost();
  config.password_cost.opslimit = static_cast<unsigned long long>(
      env.Int("MICROSTORE_IDENTITY_PASSWORD_OPSLIMIT", static_cast<std::int64_t>(interactive.opslimit),
              static_cast<std::int64_t>(lowest.opslimit), static_cast<std::int64_t>(highest.opslimit),
              "argon2id passes per password hash"));
  const std::uint64_t memlimit = env.Bytes("MICROSTORE_IDENTITY_PASSWORD_MEMLIMIT", interactive.memlimit,
                                           "argon2id memory per password hash (8KiB to 4GiB)");
  const std::string admin_email =
      env.String("MICROSTORE_IDENTITY_ADMIN_EMAIL", "",
                 "e-mail of an account made sure to exist with ADMIN at start-up");
  const std::string admin_password =
      env.String("MICROSTORE_IDENTITY_ADMIN_PASSWORD", "",
                 "(secret) its password, used only when the account is created");

  if (!signing_key.empty()) {
    auto parsed = auth::Signer::FromConfig(signing_key);
    if (auto* error = std::get_if<auth::KeyConfigError>(&parsed)) {
      env.Reject("MICROSTORE_JWT_SIGNING_KEY", error->message);
    } else {
      config.signer.emplace(std::move(std::get<auth::Signer>(parsed)));
    }
  }
  // Values the platform declares and checks itself; declaring them again would list them twice
  // in --help, so they are read directly.
  config::Env quiet(platform_lookup);
  const bool public_keys_set = !quiet.String("MICROSTORE_JWT_PUBLIC_KEYS", "", "").empty();

  if (verifier == nullptr) {
    // When set but malformed, the platform has already said why.
    if (!public_keys_set)
      env.Reject("MICROSTORE_JWT_PUBLIC_KEYS", "is required: identity's routes need tokens");
  } else {
    config.tokens.issuer = verifier->issuer();
    if (config.signer) CheckSignerIsTrusted(env, *config.signer, *verifier);
  }
  if (access_ttl < 10s || access_ttl > 24h)
    env.Reject("MICROSTORE_IDENTITY_ACCESS_TTL", "must be from 10s to 24h");
  if (refresh_ttl < 1min || refresh_ttl > 365 * 24h || refresh_ttl < access_ttl) {
    env.Reject("MICROSTORE_IDENTITY_REFRESH_TTL",
               "must be from 1m to 8760h and not shorter than the access TTL");
  }
  config.tokens.access_ttl = Seconds(access_ttl);
  config.tokens.refresh_ttl = Seconds(refresh_ttl);
  if (memlimit < lowest.memlimit || memlimit > highest.memlimit) {
    env.Reject("MICROSTORE_IDENTITY_PASSWORD_MEMLIMIT", "must be from 8KiB to 4GiB");
  }
  config.password_cost.memlimit = static_cast<std::size_t>(memlimit);

  if (admin_email.empty() != admin_password.empty()) {
    env.Reject(admin_email.empty() ? "MICROSTORE_IDENTITY_ADMIN_EMAIL" : "MICROSTORE_IDENTITY_ADMIN_PASSWORD",
               "is required when the other admin setting is given");
  } else if (!admin_email.empty()) {
    const auto email = NormalizeEmail(admin_email);
    if (!email) env.Reject("MICROSTORE_IDENTITY_ADMIN_EMAIL", email.problem);
    const auto problems = PasswordProblems(admin_password, email ? *email.value : "");
    for (const auto& problem : problems) env.Reject("MICROSTORE_IDENTITY_ADMIN_PASSWORD", problem);
    if (email && problems.empty()) config.admin = AdminAccount{*email.value, admin_password};
  }

  try {
    env.Finish();
    config.complete = config.signer.has_value();
  } catch (const config::ConfigError&) {
    config.complete = false;
  }
  return config;
}

bool AskedForHelp(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) return true;
  }
  return false;
}

}  // namespace microstore::identity
