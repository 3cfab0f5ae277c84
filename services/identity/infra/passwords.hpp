#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Password hashing with argon2id (libsodium crypto_pwhash_str). Every call costs the configured
// time and memory: run them on a worker pool (async::Offload), never on the event loop.
// Thread-safe: all methods are const and share nothing mutable.
namespace microstore::identity {

struct PasswordCost {
  unsigned long long opslimit = 0;
  std::size_t memlimit = 0;  // bytes
};

// libsodium's "interactive" cost (2 passes, 64 MiB): the production default.
PasswordCost InteractivePasswordCost();
// libsodium's minimum (1 pass, 8 KiB): for tests only.
PasswordCost MinimumPasswordCost();
// The accepted range of each setting, for configuration checks.
PasswordCost MinimumAllowedCost();
PasswordCost MaximumAllowedCost();

class PasswordHasher {
 public:
  // Hashes a random password once, for DummyHash().
  explicit PasswordHasher(PasswordCost cost);

  // An encoded argon2id hash (with its own salt and cost). Throws std::runtime_error when the
  // memory cannot be allocated.
  std::string Hash(std::string_view password) const;
  // True when `password` matches `encoded_hash`; false for a wrong password or a malformed hash.
  bool Verify(std::string_view encoded_hash, std::string_view password) const;
  // True when `encoded_hash` was made with another cost or algorithm (re-hash after sign-in).
  bool NeedsRehash(std::string_view encoded_hash) const;
  // A hash no password is known for: unknown e-mails are verified against it, so signing in as
  // an unknown user takes as long as with a wrong password.
  const std::string& DummyHash() const { return dummy_hash_; }

  const PasswordCost& cost() const { return cost_; }

 private:
  PasswordCost cost_;
  std::string dummy_hash_;
};

}  // namespace microstore::identity
