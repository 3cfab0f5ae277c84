#include "identity/app/users.hpp"

#include "identity/app/authority.hpp"
#include "identity/domain/events.hpp"
#include "identity/domain/rules.hpp"
#include "identity/infra/events.hpp"
#include "identity/infra/token_store.hpp"
#include "identity/infra/user_store.hpp"
#include "platform/core/ids.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::identity {
namespace {

namespace asio = boost::asio;

Refusal NotFound() { return {Problem::kUserNotFound, "no user has this id"}; }

const User* FindById(const std::vector<User>& users, const std::string& id) {
  for (const auto& user : users) {
    if (user.id == id) return &user;
  }
  return nullptr;
}

// Locks the acting administrator's row and the target's (in one statement, so two admins acting on
// each other cannot deadlock or both pass) and answers the target; refuses when the actor no
// longer administers or the target does not exist.
asio::awaitable<Outcome<User>> LockTargetOfAdmin(pg::Transaction& transaction, std::string actor_id,
                                                 std::string target_id) {
  std::vector<std::string> ids{actor_id, target_id};
  const auto users = co_await LockUsers(transaction, std::move(ids));
  const User* actor = FindById(users, actor_id);
  if (actor == nullptr || !MayAdminister(*actor)) {
    co_return Refusal{Problem::kForbidden, "you are no longer an admin"};
  }
  const User* target = FindById(users, target_id);
  if (target == nullptr) co_return NotFound();
  co_return *target;
}

asio::awaitable<Outcome<User>> ChangeRole(pg::Pool& db, const messaging::Outbox& outbox,
                                          const Authority& authority, Caller caller, std::string user_id,
                                          auth::Role role, RoleChange change,
                                          messaging::EventContext context) {
  const auto target_id = core::CanonicalUuid(user_id);
  if (!target_id) co_return NotFound();
  const Timestamp now = authority.Now();
  auto transaction = co_await db.Begin();
  auto target = co_await LockTargetOfAdmin(transaction, caller.user_id, *target_id);
  if (auto* refusal = std::get_if<Refusal>(&target)) co_return std::move(*refusal);
  auto decision = DecideRoleChange(std::get<User>(target), caller.user_id, role, change, now);
  if (auto* refusal = std::get_if<Refusal>(&decision)) co_return std::move(*refusal);
  if (std::holds_alternative<core::Unchanged>(decision)) co_return std::move(std::get<User>(target));
  auto& changed = std::get<core::Changed<User, Event>>(decision);
  co_await SaveUser(transaction, changed.next);
  co_await outbox.Append(transaction, ToDrafts(changed.events), std::move(context));
  co_await transaction.Commit();
  log::Info("roles changed",
            {{"user_id", changed.next.id}, {"roles", changed.next.roles.Join()}, {"by", caller.user_id}});
  co_return std::move(changed.next);
}

asio::awaitable<Outcome<User>> SetDisabled(pg::Pool& db, const messaging::Outbox& outbox,
                                           const Authority& authority, Caller caller, std::string user_id,
                                           bool disable, messaging::EventContext context) {
  const auto target_id = core::CanonicalUuid(user_id);
  if (!target_id) co_return NotFound();
  const Timestamp now = authority.Now();
  auto transaction = co_await db.Begin();
  auto target = co_await LockTargetOfAdmin(transaction, caller.user_id, *target_id);
  if (auto* refusal = std::get_if<Refusal>(&target)) co_return std::move(*refusal);
  auto decision = DecideDisabled(std::get<User>(target), caller.user_id, disable, now);
  if (auto* refusal = std::get_if<Refusal>(&decision)) co_return std::move(*refusal);
  if (std::holds_alternative<core::Unchanged>(decision)) co_return std::move(std::get<User>(target));
  auto& changed = std::get<core::Changed<User, Event>>(decision);
  co_await SaveUser(transaction, changed.next);
  std::vector<Event> events = std::move(changed.events);
  if (disable) {
    const auto revoked =
        co_await RevokeAllFamilies(transaction, changed.next.id, now, RevocationReason::kUserDisabled);
    for (auto& event : Revocations(revoked, RevocationReason::kUserDisabled))
      events.push_back(std::move(event));
  }
  co_await outbox.Append(transaction, ToDrafts(events), std::move(context));
  co_await transaction.Commit();
  log::Info(disable ? "user disabled" : "user enabled",
            {{"user_id", changed.next.id}, {"by", caller.user_id}});
  co_return std::move(changed.next);
}

}  // namespace

asio::awaitable<UserPage> ListUsers(pg::Pool& db, std::optional<UserCursor> after,
                                    std::optional<std::string> email, std::size_t limit) {
  UserPage page;
  // One more than asked for says whether a next page exists.
  page.items = co_await FindUsers(db, std::move(after), std::move(email), static_cast<int>(limit) + 1);
  if (page.items.size() > limit) {
    page.items.resize(limit);
    page.next = CursorAt(page.items.back());
  }
  co_return page;
}

asio::awaitable<Outcome<User>> GrantRole(pg::Pool& db, const messaging::Outbox& outbox,
                                         const Authority& authority, Caller caller, std::string user_id,
                                         auth::Role role, messaging::EventContext context) {
  return ChangeRole(db, outbox, authority, std::move(caller), std::move(user_id), role, RoleChange::kGrant,
                    std::move(context));
}

asio::awaitable<Outcome<User>> RevokeRole(pg::Pool& db, const messaging::Outbox& outbox,
                                          const Authority& authority, Caller caller, std::string user_id,
                                          auth::Role role, messaging::EventContext context) {
  return ChangeRole(db, outbox, authority, std::move(caller), std::move(user_id), role, RoleChange::kRevoke,
                    std::move(context));
}

asio::awaitable<Outcome<User>> DisableUser(pg::Pool& db, const messaging::Outbox& outbox,
                                           const Authority& authority, Caller caller, std::string user_id,
                                           messaging::EventContext context) {
  return SetDisabled(db, outbox, authority, std::move(caller), std::move(user_id), true, std::move(context));
}

asio::awaitable<Outcome<User>> EnableUser(pg::Pool& db, const messaging::Outbox& outbox,
                                          const Authority& authority, Caller caller, std::string user_id,
                                          messaging::EventContext context) {
  return SetDisabled(db, outbox, authority, std::move(caller), std::move(user_id), false, std::move(context));
}

}  // namespace microstore::identity
