#include "identity/app/accounts.hpp"

#include "identity/app/authority.hpp"
#include "identity/domain/events.hpp"
#include "identity/domain/rules.hpp"
#include "identity/infra/events.hpp"
#include "identity/infra/user_store.hpp"
#include "platform/core/ids.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::identity {
namespace {

namespace asio = boost::asio;

Refusal EmailTaken() { return {Problem::kEmailTaken, "this e-mail is already registered"}; }
Refusal NotFound() { return {Problem::kUserNotFound, "no user has this id"}; }

}  // namespace

asio::awaitable<Outcome<User>> Register(pg::Pool& db, const messaging::Outbox& outbox,
                                        const Authority& authority, Registration registration,
                                        messaging::EventContext context) {
  // Checked first so a taken e-mail does not cost a hash; the insert below still decides races.
  if (co_await FindCredentials(db, registration.email)) co_return EmailTaken();
  const std::string hash = co_await authority.HashPassword(std::move(registration.password));
  User user = NewUser(core::NewUuid(), registration.email, std::move(registration.profile),
                      auth::RoleSet{auth::Role::kCustomer}, authority.Now());
  auto transaction = co_await db.Begin();
  if (!co_await InsertUser(transaction, user, hash)) co_return EmailTaken();
  const std::vector<Event> events{UserRegistered{user}};
  co_await outbox.Append(transaction, ToDrafts(events), std::move(context));
  co_await transaction.Commit();
  log::Info("user registered", {{"user_id", user.id}});
  co_return user;
}

asio::awaitable<Outcome<User>> GetUser(pg::Pool& db, Caller caller, std::string id) {
  const auto user_id = core::CanonicalUuid(id);
  const bool admin = caller.roles.Has(auth::Role::kAdmin);
  // Others learn nothing about ids that are not theirs, not even whether they exist.
  if (!admin && user_id != caller.user_id) {
    co_return Refusal{Problem::kForbidden, "you may only read your own account"};
  }
  if (!user_id) co_return NotFound();
  auto user = co_await FindUser(db, *user_id);
  if (!user) co_return NotFound();
  co_return std::move(*user);
}

asio::awaitable<Outcome<User>> UpdateProfile(pg::Pool& db, const messaging::Outbox& outbox,
                                             const Authority& authority, Caller caller, ProfilePatch patch,
                                             messaging::EventContext context) {
  const Timestamp now = authority.Now();
  auto transaction = co_await db.Begin();
  auto user = co_await LockUser(transaction, caller.user_id);
  if (!user) co_return NotFound();
  auto decision = DecideProfileUpdate(*user, patch, now);
  if (auto* refusal = std::get_if<Refusal>(&decision)) co_return std::move(*refusal);
  if (std::holds_alternative<core::Unchanged>(decision)) co_return std::move(*user);
  auto& changed = std::get<core::Changed<User, Event>>(decision);
  co_await SaveUser(transaction, changed.next);
  co_await outbox.Append(transaction, ToDrafts(changed.events), std::move(context));
  co_await transaction.Commit();
  co_return std::move(changed.next);
}

}  // namespace microstore::identity
