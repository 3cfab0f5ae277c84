#pragma once

#include <cstdlib>
#include <optional>
#include <string>

#include "identity/app/identity.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/config/env.hpp"
#include "identity/infra/passwords.hpp"

namespace microstore::identity {

struct AdminAccount {
  std::string email;
  std::string password;
};

struct Config {
  // False when a setting is missing or wrong (the problems are recorded in the Env, which
  // Service::Run reports) : then nothing below may be used.
  bool complete = false;
  std::optional<auth::Signer> signer;
  IdentityOptions options;
  PasswordCost password_cost;
  std::optional<AdminAccount> admin;
};

// Reads identity's settings (documented by --help) and checks them together with the
// platform's: the signing key must belong to the trusted MICROSTORE_JWT_PUBLIC_KEYS (`verifier`,
// required), TTLs in range, the admin e-mail and password valid and given together.
// `platform_lookup` reads MICROSTORE_JWT_PUBLIC_KEYS, which the platform declares itself.
// options.node_id is left for the caller (runtime::Service::NodeId()).
Config ReadConfig(
    config::Env& env, const auth::Verifier* verifier,
    const config::Env::Lookup& platform_lookup = [](const char* name) { return std::getenv(name); });

// True when the command line asks for --help (then the service only prints its settings).
bool AskedForHelp(int argc, char** argv);

}  // namespace microstore::identity
