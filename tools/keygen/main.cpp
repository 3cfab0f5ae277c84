// Prints a fresh token-signing key pair as shell-sourceable environment lines:
//   MICROSTORE_JWT_SIGNING_KEY=<kid>:<seed>      (secret: the identity service only)
//   MICROSTORE_JWT_PUBLIC_KEYS=<kid>:<public>    (every service that verifies tokens)
// To rotate, append the new public entry to the old list (`old:...,new:...`), switch the signing
// key, and drop the old entry once the longest-lived token signed with it has expired.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "platform/auth/keys.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Generates an Ed25519 key pair for signing microstore access tokens."};
  std::string key_id;
  app.add_option("--kid", key_id,
                 "Key id (A-Z a-z 0-9 . _ -, at most 64); default: the key's RFC 7638 thumbprint")
      ->check([](const std::string& value) {
        return microstore::auth::IsValidKeyId(value)
                   ? std::string()
                   : std::string("must be 1-64 characters of A-Z a-z 0-9 . _ -");
      });
  CLI11_PARSE(app, argc, argv);

  const auto pair = microstore::auth::GenerateKeyPair(key_id);
  std::cout << "MICROSTORE_JWT_SIGNING_KEY=" << pair.key_id << ':' << pair.seed << '\n'
            << "MICROSTORE_JWT_PUBLIC_KEYS=" << pair.key_id << ':' << pair.public_key << '\n';
  return std::cout.good() ? 0 : 1;
}
