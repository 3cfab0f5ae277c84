#include "identity/app/sessions.hpp"

#include "identity/app/authority.hpp"
#include "identity/domain/rules.hpp"
#include "identity/domain/validation.hpp"
#include "identity/infra/events.hpp"
#include "identity/infra/secrets.hpp"
#include "identity/infra/token_store.hpp"
#include "identity/infra/user_store.hpp"
#include "platform/core/ids.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/metrics/metrics.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::identity {
namespace {

namespace asio = boost::asio;

// No password the policy accepts is longer (128 code points of at most 4 bytes): a longer one
// cannot match and is not worth hashing.
constexpr std::size_t kMaxPasswordBytes = 4 * kMaxPasswordChars;

prometheus::Counter& SignIns(const char* outcome) {
  static auto& family =
      metrics::CounterFamily(metrics::Default(), "identity_sign_ins_total", "Sign-in attempts by outcome");
  return family.Add({{"outcome", outcome}});
}

prometheus::Counter& RefreshReuses() {
  static auto& counter = metrics::CounterFamily(metrics::Default(), "identity_refresh_token_reuse_total",
                                                "Rotated refresh tokens presented again (families revoked)")
                             .Add({});
  return counter;
}

Refusal WrongCredentials() { return {Problem::kInvalidCredentials, "wrong e-mail or password"}; }

Refusal Disabled() { return {Problem::kAccountDisabled, "this account is disabled"}; }

// Signs an access token for `user` and stores it with a new refresh token in `family_id`.
asio::awaitable<TokenPair> Issue(pg::Transaction& transaction, const Authority& authority, const User& user,
                                 std::string family_id, Timestamp now) {
  const TokenPolicy& policy = authority.tokens();
  // The token's exp is whole seconds; store exactly what it says, so TokenRevoked tells the truth.
  const auto issued_at = std::chrono::time_point_cast<std::chrono::seconds>(now);
  const Timestamp expires_at = issued_at + policy.access_ttl;
  const std::string jti = core::NewUuid();
  TokenPair pair;
  pair.access_token = authority.SignAccessToken(user, jti, issued_at, expires_at);
  pair.refresh_token = NewRefreshToken();
  pair.expires_in = policy.access_ttl;
  pair.refresh_expires_in = policy.refresh_ttl;
  co_await InsertRefreshToken(transaction, RefreshTokenHash(pair.refresh_token), family_id, now,
                              now + policy.refresh_ttl);
  co_await InsertAccessToken(transaction, jti, family_id, user.id, issued_at, expires_at);
  co_return pair;
}

}  // namespace

asio::awaitable<Outcome<TokenPair>> SignIn(pg::Pool& db, const Authority& authority, std::string email,
                                           std::string password) {
  if (password.size() > kMaxPasswordBytes) {
    SignIns("invalid_credentials").Increment();
    co_return WrongCredentials();
  }
  std::optional<StoredCredentials> stored;
  if (auto normalized = NormalizeEmail(email)) stored = co_await FindCredentials(db, *normalized.value);
  std::optional<std::string> hash;
  if (stored) hash = stored->password_hash;
  const bool matches = co_await authority.VerifyPassword(std::move(hash), password);
  if (!stored || !matches) {
    SignIns("invalid_credentials").Increment();
    co_return WrongCredentials();
  }
  if (stored->user.disabled) {
    SignIns("disabled").Increment();
    co_return Disabled();
  }
  if (authority.NeedsRehash(stored->password_hash)) {
    const std::string rehashed = co_await authority.HashPassword(password);
    co_await ReplacePasswordHash(db, stored->user.id, stored->password_hash, rehashed);
  }

  const Timestamp now = authority.Now();
  auto transaction = co_await db.Begin();
  // Locked, so a disable running now either came first (and we refuse) or will see this family.
  const auto user = co_await LockUser(transaction, stored->user.id);
  if (!user) co_return WrongCredentials();
  if (user->disabled) {
    SignIns("disabled").Increment();
    co_return Disabled();
  }
  const std::string family_id = core::NewUuid();
  co_await InsertFamily(transaction, family_id, user->id, now);
  TokenPair pair = co_await Issue(transaction, authority, *user, family_id, now);
  co_await transaction.Commit();
  SignIns("success").Increment();
  co_return pair;
}

asio::awaitable<Outcome<TokenPair>> Refresh(pg::Pool& db, const messaging::Outbox& outbox,
                                            const Authority& authority, std::string refresh_token,
                                            messaging::EventContext context) {
  const Refusal unknown{Problem::kInvalidRefreshToken, "unknown refresh token"};
  if (!IsWellFormedRefreshToken(refresh_token)) co_return unknown;
  const std::string hash = RefreshTokenHash(refresh_token);
  const auto owner = co_await OwnerOfRefreshToken(db, hash);
  if (!owner) co_return unknown;

  const Timestamp now = authority.Now();
  auto transaction = co_await db.Begin();
  const auto user = co_await LockUser(transaction, *owner);
  const auto record = co_await ReadRefreshToken(transaction, hash);
  std::optional<StoredRefreshToken> state;
  if (user && record) {
    state = record->state;
    state->user_disabled = user->disabled;
  }
  switch (DecideRefresh(state, now)) {
    case RefreshDecision::kInvalid:
      co_return Refusal{Problem::kInvalidRefreshToken, "the refresh token is expired, revoked or unknown"};
    case RefreshDecision::kUserDisabled:
      co_return Disabled();
    case RefreshDecision::kReuseDetected: {
      const auto revoked =
          co_await RevokeFamily(transaction, record->family_id, now, RevocationReason::kRefreshReuse);
      co_await outbox.Append(transaction, ToDrafts(Revocations(revoked, RevocationReason::kRefreshReuse)),
                             std::move(context));
      co_await transaction.Commit();
      RefreshReuses().Increment();
      log::Warn("refresh token reused; its family is revoked",
                {{"user_id", user->id},
                 {"family_id", record->family_id},
                 {"revoked_access_tokens", static_cast<std::int64_t>(revoked.size())}});
      co_return Refusal{Problem::kRefreshTokenReused, "this refresh token was already used; sign in again"};
    }
    case RefreshDecision::kRotate:
      break;
  }
  co_await MarkRefreshTokenUsed(transaction, hash, now);
  TokenPair pair = co_await Issue(transaction, authority, *user, record->family_id, now);
  co_await transaction.Commit();
  co_return pair;
}

asio::awaitable<Outcome<Caller>> Authorize(pg::Pool& db, auth::Principal principal, auth::Access access) {
  const auto user_id = core::CanonicalUuid(principal.subject);
  if (!user_id) co_return Refusal{Problem::kUnknownSubject, "the token's subject is not a user"};
  const auto holder = co_await FindTokenHolder(db, *user_id, principal.token_id);
  if (auto refusal = DecideAccess(holder, access)) co_return std::move(*refusal);
  co_return Caller{*user_id, holder->roles, principal.roles, principal.token_id, principal.expires_at};
}

asio::awaitable<void> Logout(pg::Pool& db, const messaging::Outbox& outbox, const Authority& authority,
                             Caller caller, messaging::EventContext context) {
  if (caller.token_id.empty()) co_return;
  // A token identity did not record (minted elsewhere with our key) has no family to end.
  const auto token = co_await FindAccessToken(db, caller.token_id);
  if (!token) co_return;
  const Timestamp now = authority.Now();
  auto transaction = co_await db.Begin();
  co_await LockUser(transaction, token->user_id);
  const auto revoked = co_await RevokeFamily(transaction, token->family_id, now, RevocationReason::kLogout);
  co_await outbox.Append(transaction, ToDrafts(Revocations(revoked, RevocationReason::kLogout)),
                         std::move(context));
  co_await transaction.Commit();
}

}  // namespace microstore::identity
