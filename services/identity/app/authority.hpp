#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "identity/domain/rules.hpp"
#include "identity/domain/user.hpp"
#include "identity/infra/passwords.hpp"
#include "platform/auth/jwt.hpp"

// What identity's use cases hash, sign and date with, fixed once by main.cpp from the
// configuration (tests build their own): argon2id hashing on the worker pool, the key that signs
// access tokens, the tokens' lifetimes, and the clock.
//
// Threading: hashing and verifying run on `workers` (async::Offload), everything else on the
// caller's executor. The Authority must outlive every use case that uses it.
namespace microstore::identity {

class Authority {
 public:
  using Clock = std::function<Timestamp()>;

  Authority(boost::asio::any_io_executor workers, auth::Signer signer, PasswordCost cost, TokenPolicy tokens,
            Clock clock = std::chrono::system_clock::now);
  ~Authority();
  Authority(const Authority&) = delete;
  Authority& operator=(const Authority&) = delete;

  // The clock's time to the millisecond: what the database stores, so what is read back compares
  // equal.
  Timestamp Now() const;

  // An encoded argon2id hash of `password` (with its own salt and cost).
  boost::asio::awaitable<std::string> HashPassword(std::string password) const;
  // True when `password` matches `hash`. Without a hash (an unknown e-mail) the password is
  // checked against a hash no password is known for, so that takes as long as a wrong password.
  boost::asio::awaitable<bool> VerifyPassword(std::optional<std::string> hash, std::string password) const;
  // True when `hash` was made with another cost or algorithm (re-hash after a sign-in).
  bool NeedsRehash(std::string_view hash) const;

  // An access JWT for `user` with its current roles, this policy's issuer, and id `jti`.
  std::string SignAccessToken(const User& user, std::string jti, Timestamp issued_at,
                              Timestamp expires_at) const;
  const TokenPolicy& tokens() const { return tokens_; }

 private:
  boost::asio::any_io_executor workers_;
  auth::Signer signer_;
  // Shared with the worker threads while they hash.
  std::unique_ptr<const PasswordHasher> hasher_;
  TokenPolicy tokens_;
  Clock clock_;
};

}  // namespace microstore::identity
