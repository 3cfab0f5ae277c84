#include "identity/app/authority.hpp"

#include "platform/async/offload.hpp"

namespace microstore::identity {

namespace asio = boost::asio;

Authority::Authority(asio::any_io_executor workers, auth::Signer signer, PasswordCost cost,
                     TokenPolicy tokens, Clock clock)
    : workers_(std::move(workers)),
      signer_(std::move(signer)),
      hasher_(std::make_unique<const PasswordHasher>(cost)),
      tokens_(std::move(tokens)),
      clock_(std::move(clock)) {}

Authority::~Authority() = default;

Timestamp Authority::Now() const { return std::chrono::time_point_cast<std::chrono::milliseconds>(clock_()); }

asio::awaitable<std::string> Authority::HashPassword(std::string password) const {
  auto hash = [hasher = hasher_.get(), password = std::move(password)] { return hasher->Hash(password); };
  co_return co_await async::Offload(workers_, std::move(hash));
}

asio::awaitable<bool> Authority::VerifyPassword(std::optional<std::string> hash, std::string password) const {
  auto verify = [hasher = hasher_.get(), hash = hash ? std::move(*hash) : hasher_->DummyHash(),
                 password = std::move(password)] { return hasher->Verify(hash, password); };
  co_return co_await async::Offload(workers_, std::move(verify));
}

bool Authority::NeedsRehash(std::string_view hash) const { return hasher_->NeedsRehash(hash); }

std::string Authority::SignAccessToken(const User& user, std::string jti, Timestamp issued_at,
                                       Timestamp expires_at) const {
  return signer_.Sign({user.id, user.roles, std::move(jti), tokens_.issuer, issued_at, expires_at});
}

}  // namespace microstore::identity
