#include "identity/infra/passwords.hpp"

#include <sodium.h>

#include <stdexcept>

#include "platform/core/ids.hpp"

namespace microstore::identity {

PasswordCost InteractivePasswordCost() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost MinimumPasswordCost() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

PasswordCost MinimumAllowedCost() { return MinimumPasswordCost(); }

// Far above any sane setting, but below what would make one sign-in a denial of service.
PasswordCost MaximumAllowedCost() { return {32, std::size_t{4} << 30}; }

PasswordHasher::PasswordHasher(PasswordCost cost) : cost_(cost) {
  core::EnsureSodium();
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  dummy_hash_ = Hash(std::string_view(reinterpret_cast<const char*>(random), sizeof random));
  sodium_memzero(random, sizeof random);
}

std::string PasswordHasher::Hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), cost_.opslimit, cost_.memlimit) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view encoded_hash, std::string_view password) const {
  // libsodium wants a NUL-terminated hash; a copy keeps std::string_view honest.
  const std::string hash(encoded_hash);
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view encoded_hash) const {
  const std::string hash(encoded_hash);
  return crypto_pwhash_str_needs_rehash(hash.c_str(), cost_.opslimit, cost_.memlimit) != 0;
}

}  // namespace microstore::identity
