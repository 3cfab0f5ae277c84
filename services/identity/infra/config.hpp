#pragma once

#include <cstdlib>
#include <optional>
#include <string>

#include "identity/domain/rules.hpp"
#include "identity/infra/passwords.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/config/env.hpp"

namespace microstore::identity {

// The account made sure to hold ADMIN at start-up (app/admin_bootstrap.hpp).
struct AdminAccount {
  std::string email;  // normalised
  std::string password;
};

struct Config {
  // False when a setting is missing or wrong (the problems are recorded in the Env, which
  // Service::Run reports) : then nothing below may be used.
  bool complete = false;
  std::optional<auth::Signer> signer;
  TokenPolicy tokens;
  PasswordCost password_cost;
  std::optional<AdminAccount> admin;
};

// Reads identity's settings (documented by --help) and checks them together with the
// platform's: the signing key must belong to the trusted MICROSTORE_JWT_PUBLIC_KEYS (`verifier`,
// required; its issuer becomes the tokens' issuer), TTLs in range, the admin e-mail and password
// valid and given together. `platform_lookup` reads MICROSTORE_JWT_PUBLIC_KEYS, which the
// platform declares itself.
Config ReadConfig(
    config::Env& env, const auth::Verifier* verifier,
    const config::Env::Lookup& platform_lookup = [](const char* name) { return std::getenv(name); });

// True when the command line asks for --help (then the service only prints its settings).
bool AskedForHelp(int argc, char** argv);

}  // namespace microstore::identity
