#include "identity/app/identity.hpp"

#include <boost/asio/use_awaitable.hpp>

#include "platform/core/ids.hpp"
#include "identity/domain/errors.hpp"
#include "identity/infra/secrets.hpp"
#include "identity/infra/token_store.hpp"
#include "identity/infra/user_store.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/metrics/metrics.hpp"
#include "platform/pg/pool.hpp"
#include "platform/runtime/offload.hpp"

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

[[noreturn]] void Refuse(Problem problem, std::string detail) {
  throw IdentityError(problem, std::move(detail));
}

std::vector<DomainEvent> Revocations(const std::vector<RevokedToken>& tokens, RevocationReason reason) {
  std::vector<DomainEvent> events;
  events.reserve(tokens.size());
  for (const auto& token : tokens) events.push_back(TokenRevoked(token, reason));
  return events;
}

// One event as a list, built outside co_await expressions (g++ 12 mishandles braced
// temporaries there).
std::vector<DomainEvent> One(DomainEvent event) {
  std::vector<DomainEvent> events;
  events.push_back(std::move(event));
  return events;
}

const User* FindById(const std::vector<User>& users, const std::string& id) {
  for (const auto& user : users) {
    if (user.id == id) return &user;
  }
  return nullptr;
}

// Locks the acting administrator's row and the target's (in one statement, so two admins acting on
// each other cannot deadlock or both pass) and answers the target; refuses when the actor no
// longer administers or the target does not exist.
asio::awaitable<User> LockTargetOfAdmin(pg::Transaction& transaction, std::string actor_id, std::string target_id) {
  std::vector<std::string> ids{actor_id, target_id};
  const auto users = co_await LockUsers(transaction, std::move(ids));
  const User* actor = FindById(users, actor_id);
  if (actor == nullptr || !MayAdminister(*actor)) Refuse(Problem::kForbidden, "you are no longer an admin");
  const User* target = FindById(users, target_id);
  if (target == nullptr) Refuse(Problem::kUserNotFound, "no user has this id");
  co_return *target;
}

}  // namespace

Identity::Identity(pg::Pool& db, asio::any_io_executor workers, auth::Signer signer, PasswordCost cost,
                   IdentityOptions options)
    : db_(db),
      workers_(std::move(workers)),
      signer_(std::move(signer)),
      hasher_(std::make_unique<const PasswordHasher>(cost)),
      options_(std::move(options)) {}

Identity::~Identity() = default;

Timestamp Identity::Now() const {
  const Timestamp now = options_.clock ? options_.clock() : std::chrono::system_clock::now();
  return std::chrono::time_point_cast<std::chrono::milliseconds>(now);
}

asio::awaitable<std::string> Identity::HashPassword(std::string password) {
  auto hash = [hasher = hasher_.get(), password = std::move(password)] { return hasher->Hash(password); };
  co_return co_await runtime::Offload(workers_, std::move(hash));
}

asio::awaitable<void> Identity::Emit(pg::Transaction& transaction, std::vector<DomainEvent> events,
                                     messaging::EventContext context, Timestamp now) {
  co_await messaging::AppendDrafts(transaction, std::move(events), std::move(context), kProducer,
                                   options_.node_id, now);
}

asio::awaitable<TokenPair> Identity::Issue(pg::Transaction& transaction, const User& user,
                                           std::string family_id, Timestamp now) {
  // The token's exp is whole seconds; store exactly what it says, so TokenRevoked tells the truth.
  const auto issued_at = std::chrono::time_point_cast<std::chrono::seconds>(now);
  const Timestamp expires_at = issued_at + options_.access_ttl;
  const std::string jti = core::NewUuid();
  TokenPair pair;
  pair.access_token = signer_.Sign({user.id, user.roles, jti, options_.issuer, issued_at, expires_at});
  pair.refresh_token = NewRefreshToken();
  pair.expires_in = options_.access_ttl;
  pair.refresh_expires_in = options_.refresh_ttl;
  co_await InsertRefreshToken(transaction, RefreshTokenHash(pair.refresh_token), family_id, now,
                              now + options_.refresh_ttl);
  co_await InsertAccessToken(transaction, jti, family_id, user.id, issued_at, expires_at);
  co_return pair;
}

asio::awaitable<User> Identity::Register(Registration registration, messaging::EventContext context) {
  // Checked first so a taken e-mail does not cost a hash; the insert below still decides races.
  if (co_await FindCredentials(db_, registration.email))
    Refuse(Problem::kEmailTaken, "this e-mail is already registered");
  const std::string hash = co_await HashPassword(std::move(registration.password));
  const Timestamp now = Now();
  User user = NewUser(core::NewUuid(), registration.email, std::move(registration.profile),
                      auth::RoleSet{auth::Role::kCustomer}, now);
  auto transaction = co_await db_.Begin();
  if (!co_await InsertUser(transaction, user, hash))
    Refuse(Problem::kEmailTaken, "this e-mail is already registered");
  co_await Emit(transaction, One(UserRegistered(user)), context, now);
  co_await transaction.Commit();
  log::Info("user registered", {{"user_id", user.id}});
  co_return user;
}

asio::awaitable<TokenPair> Identity::SignIn(std::string email, std::string password) {
  if (password.size() > kMaxPasswordBytes) {
    SignIns("invalid_credentials").Increment();
    Refuse(Problem::kInvalidCredentials, "wrong e-mail or password");
  }
  std::optional<StoredCredentials> stored;
  if (auto normalized = NormalizeEmail(email)) stored = co_await FindCredentials(db_, *normalized.value);
  const std::string hash = stored ? stored->password_hash : hasher_->DummyHash();
  auto verify = [hasher = hasher_.get(), hash, password] { return hasher->Verify(hash, password); };
  const bool matches = co_await runtime::Offload(workers_, std::move(verify));
  if (!stored || !matches) {
    SignIns("invalid_credentials").Increment();
    Refuse(Problem::kInvalidCredentials, "wrong e-mail or password");
  }
  if (stored->user.disabled) {
    SignIns("disabled").Increment();
    Refuse(Problem::kAccountDisabled, "this account is disabled");
  }
  if (hasher_->NeedsRehash(stored->password_hash)) {
    const std::string rehashed = co_await HashPassword(password);
    co_await ReplacePasswordHash(db_, stored->user.id, stored->password_hash, rehashed);
  }

  const Timestamp now = Now();
  auto transaction = co_await db_.Begin();
  // Locked, so a disable running now either came first (and we refuse) or will see this family.
  const auto user = co_await LockUser(transaction, stored->user.id);
  if (!user) Refuse(Problem::kInvalidCredentials, "wrong e-mail or password");
  if (user->disabled) {
    SignIns("disabled").Increment();
    Refuse(Problem::kAccountDisabled, "this account is disabled");
  }
  const std::string family_id = core::NewUuid();
  co_await InsertFamily(transaction, family_id, user->id, now);
  TokenPair pair = co_await Issue(transaction, *user, family_id, now);
  co_await transaction.Commit();
  SignIns("success").Increment();
  co_return pair;
}

asio::awaitable<TokenPair> Identity::Refresh(std::string refresh_token, messaging::EventContext context) {
  if (!IsWellFormedRefreshToken(refresh_token))
    Refuse(Problem::kInvalidRefreshToken, "unknown refresh token");
  const std::string hash = RefreshTokenHash(refresh_token);
  const auto owner = co_await OwnerOfRefreshToken(db_, hash);
  if (!owner) Refuse(Problem::kInvalidRefreshToken, "unknown refresh token");

  const Timestamp now = Now();
  auto transaction = co_await db_.Begin();
  const auto user = co_await LockUser(transaction, *owner);
  const auto record = co_await ReadRefreshToken(transaction, hash);
  std::optional<StoredRefreshToken> state;
  if (user && record) {
    state = record->state;
    state->user_disabled = user->disabled;
  }
  switch (DecideRefresh(state, now)) {
    case RefreshDecision::kInvalid:
      Refuse(Problem::kInvalidRefreshToken, "the refresh token is expired, revoked or unknown");
    case RefreshDecision::kUserDisabled:
      Refuse(Problem::kAccountDisabled, "this account is disabled");
    case RefreshDecision::kReuseDetected: {
      const auto revoked =
          co_await RevokeFamily(transaction, record->family_id, now, RevocationReason::kRefreshReuse);
      co_await Emit(transaction, Revocations(revoked, RevocationReason::kRefreshReuse), context, now);
      co_await transaction.Commit();
      RefreshReuses().Increment();
      log::Warn("refresh token reused; its family is revoked",
                {{"user_id", user->id},
                 {"family_id", record->family_id},
                 {"revoked_access_tokens", static_cast<std::int64_t>(revoked.size())}});
      Refuse(Problem::kRefreshTokenReused, "this refresh token was already used; sign in again");
    }
    case RefreshDecision::kRotate:
      break;
  }
  co_await MarkRefreshTokenUsed(transaction, hash, now);
  TokenPair pair = co_await Issue(transaction, *user, record->family_id, now);
  co_await transaction.Commit();
  co_return pair;
}

asio::awaitable<Caller> Identity::Authorize(auth::Principal principal, auth::Access access) {
  const auto user_id = core::CanonicalUuid(principal.subject);
  if (!user_id) Refuse(Problem::kUnknownSubject, "the token's subject is not a user");
  const auto holder = co_await FindTokenHolder(db_, *user_id, principal.token_id);
  if (const auto problem = DecideAccess(holder, access)) {
    switch (*problem) {
      case Problem::kTokenRevoked:
        Refuse(*problem, "the token was revoked");
      case Problem::kTokenOfDisabledUser:
        Refuse(*problem, "this account is disabled");
      case Problem::kForbidden:
        Refuse(*problem, "this route " + access.Describe());
      default:
        Refuse(*problem, "the token's subject is not a user");
    }
  }
  co_return Caller{*user_id, holder->roles, principal.roles, principal.token_id, principal.expires_at};
}

asio::awaitable<void> Identity::Logout(Caller caller, messaging::EventContext context) {
  if (caller.token_id.empty()) co_return;
  // A token identity did not record (minted elsewhere with our key) has no family to end.
  const auto token = co_await FindAccessToken(db_, caller.token_id);
  if (!token) co_return;
  const Timestamp now = Now();
  auto transaction = co_await db_.Begin();
  co_await LockUser(transaction, token->user_id);
  const auto revoked = co_await RevokeFamily(transaction, token->family_id, now, RevocationReason::kLogout);
  co_await Emit(transaction, Revocations(revoked, RevocationReason::kLogout), context, now);
  co_await transaction.Commit();
}

asio::awaitable<User> Identity::GetUser(Caller caller, std::string id) {
  const auto user_id = core::CanonicalUuid(id);
  const bool admin = caller.roles.Has(auth::Role::kAdmin);
  // Others learn nothing about ids that are not theirs, not even whether they exist.
  if (!admin && user_id != caller.user_id) Refuse(Problem::kForbidden, "you may only read your own account");
  if (!user_id) Refuse(Problem::kUserNotFound, "no user has this id");
  auto user = co_await FindUser(db_, *user_id);
  if (!user) Refuse(Problem::kUserNotFound, "no user has this id");
  co_return std::move(*user);
}

asio::awaitable<User> Identity::UpdateProfile(Caller caller, ProfilePatch patch,
                                              messaging::EventContext context) {
  const Timestamp now = Now();
  auto transaction = co_await db_.Begin();
  auto user = co_await LockUser(transaction, caller.user_id);
  if (!user) Refuse(Problem::kUserNotFound, "no user has this id");
  auto applied = ApplyProfilePatch(user->profile, patch);
  if (auto* problems = std::get_if<FieldProblems>(&applied)) {
    throw IdentityError(Problem::kValidation, "the profile has invalid fields", std::move(*problems));
  }
  auto& profile = std::get<Profile>(applied);
  if (profile == user->profile) co_return std::move(*user);
  User updated = Touched(std::move(*user), now);
  updated.profile = std::move(profile);
  co_await SaveUser(transaction, updated);
  co_await Emit(transaction, One(CustomerProfileUpdated(updated)), context, now);
  co_await transaction.Commit();
  co_return updated;
}

asio::awaitable<UserPage> Identity::ListUsers(std::optional<UserCursor> after,
                                              std::optional<std::string> email, int limit) {
  UserPage page;
  page.items = co_await identity::ListUsers(db_, std::move(after), std::move(email), limit + 1);
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<std::size_t>(limit));
    const User& last = page.items.back();
    page.next_cursor = EncodeCursor(
        {std::chrono::duration_cast<std::chrono::milliseconds>(last.created_at.time_since_epoch()).count(),
         last.id});
  }
  co_return page;
}

asio::awaitable<User> Identity::ChangeRole(Caller caller, std::string user_id, auth::Role role,
                                           RoleChange change, messaging::EventContext context) {
  const auto target_id = core::CanonicalUuid(user_id);
  if (!target_id) Refuse(Problem::kUserNotFound, "no user has this id");
  const Timestamp now = Now();
  auto transaction = co_await db_.Begin();
  const User target = co_await LockTargetOfAdmin(transaction, caller.user_id, *target_id);
  const RoleDecision decision = DecideRoleChange(target, caller.user_id, role, change);
  if (decision.refused) Refuse(*decision.refused, "an admin cannot remove their own ADMIN role");
  if (!decision.changed) co_return target;
  User updated = Touched(target, now);
  updated.roles = decision.roles;
  co_await SaveUser(transaction, updated);
  co_await Emit(transaction, One(UserRolesChanged(updated)), context, now);
  co_await transaction.Commit();
  log::Info("roles changed",
            {{"user_id", updated.id}, {"roles", updated.roles.Join()}, {"by", caller.user_id}});
  co_return updated;
}

asio::awaitable<User> Identity::SetDisabled(Caller caller, std::string user_id, bool disabled,
                                            messaging::EventContext context) {
  const auto target_id = core::CanonicalUuid(user_id);
  if (!target_id) Refuse(Problem::kUserNotFound, "no user has this id");
  const Timestamp now = Now();
  auto transaction = co_await db_.Begin();
  const User target = co_await LockTargetOfAdmin(transaction, caller.user_id, *target_id);
  const DisableDecision decision = DecideDisabled(target, caller.user_id, disabled);
  if (decision.refused) Refuse(*decision.refused, "an admin cannot disable their own account");
  if (!decision.changed) co_return target;
  User updated = Touched(target, now);
  updated.disabled = disabled;
  co_await SaveUser(transaction, updated);
  std::vector<DomainEvent> events;
  if (disabled) {
    events.push_back(UserDisabled(updated));
    const auto revoked =
        co_await RevokeAllFamilies(transaction, updated.id, now, RevocationReason::kUserDisabled);
    for (auto& event : Revocations(revoked, RevocationReason::kUserDisabled))
      events.push_back(std::move(event));
  } else {
    events.push_back(UserEnabled(updated));
  }
  co_await Emit(transaction, std::move(events), context, now);
  co_await transaction.Commit();
  log::Info(disabled ? "user disabled" : "user enabled", {{"user_id", updated.id}, {"by", caller.user_id}});
  co_return updated;
}

asio::awaitable<std::optional<BootstrapOutcome>> Identity::PromoteExistingAdmin(std::string email) {
  const Timestamp now = Now();
  auto transaction = co_await db_.Begin();
  auto user = co_await LockUserByEmail(transaction, email);
  if (!user) co_return std::nullopt;
  if (user->disabled) log::Warn("the bootstrap admin account is disabled; left so", {{"user_id", user->id}});
  if (user->roles.Has(auth::Role::kAdmin)) co_return BootstrapOutcome::kAlreadyAdmin;
  User updated = Touched(std::move(*user), now);
  updated.roles.Add(auth::Role::kAdmin);
  co_await SaveUser(transaction, updated);
  const messaging::EventContext new_flow;
  co_await Emit(transaction, One(UserRolesChanged(updated)), new_flow, now);
  co_await transaction.Commit();
  co_return BootstrapOutcome::kPromoted;
}

asio::awaitable<BootstrapOutcome> Identity::EnsureAdmin(std::string email, std::string password) {
  auto normalized = NormalizeEmail(email);
  if (!normalized) throw std::invalid_argument("the admin e-mail " + normalized.problem);
  // Two rounds at most: when another replica inserts the admin between our look and our insert,
  // the second round finds it.
  for (int round = 0; round < 2; ++round) {
    if (auto outcome = co_await PromoteExistingAdmin(*normalized.value)) co_return *outcome;
    const std::string hash = co_await HashPassword(password);
    const Timestamp now = Now();
    User admin = NewUser(core::NewUuid(), *normalized.value,
                         {"Store", "Administrator", std::nullopt, {Channel::kEmail}},
                         auth::RoleSet{auth::Role::kAdmin}, now);
    auto transaction = co_await db_.Begin();
    if (co_await InsertUser(transaction, admin, hash)) {
      const messaging::EventContext new_flow;
      co_await Emit(transaction, One(UserRegistered(admin)), new_flow, now);
      co_await transaction.Commit();
      co_return BootstrapOutcome::kCreated;
    }
  }
  throw std::runtime_error("the admin account could neither be created nor found");
}

}  // namespace microstore::identity
