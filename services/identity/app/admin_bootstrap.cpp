#include "identity/app/admin_bootstrap.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>
#include <vector>

#include "identity/app/authority.hpp"
#include "identity/domain/events.hpp"
#include "identity/domain/rules.hpp"
#include "identity/domain/validation.hpp"
#include "identity/infra/events.hpp"
#include "identity/infra/user_store.hpp"
#include "platform/core/ids.hpp"
#include "platform/log/log.hpp"
#include "platform/messaging/outbox.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::identity {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// ADMIN for the existing account with this e-mail; nullopt when there is none.
asio::awaitable<std::optional<BootstrapOutcome>> PromoteExistingAdmin(pg::Pool& db,
                                                                      const messaging::Outbox& outbox,
                                                                      const Authority& authority,
                                                                      std::string email) {
  const Timestamp now = authority.Now();
  auto transaction = co_await db.Begin();
  auto user = co_await LockUserByEmail(transaction, email);
  if (!user) co_return std::nullopt;
  if (user->disabled) log::Warn("the bootstrap admin account is disabled; left so", {{"user_id", user->id}});
  auto decision = DecideGrant(*user, auth::Role::kAdmin, now);
  if (core::IfUnchanged(decision)) co_return BootstrapOutcome::kAlreadyAdmin;
  auto& changed = core::ChangedOf(decision);
  co_await SaveUser(transaction, changed.next);
  const messaging::EventContext new_flow;
  co_await outbox.Append(transaction, ToDrafts(changed.events), new_flow);
  co_await transaction.Commit();
  co_return BootstrapOutcome::kPromoted;
}

}  // namespace

asio::awaitable<BootstrapOutcome> EnsureAdmin(pg::Pool& db, const messaging::Outbox& outbox,
                                              const Authority& authority, std::string email,
                                              std::string password) {
  auto normalized = NormalizeEmail(email);
  if (!normalized) throw std::invalid_argument("the admin e-mail " + normalized.problem);
  // Two rounds at most: when another replica inserts the admin between our look and our insert,
  // the second round finds it.
  for (int round = 0; round < 2; ++round) {
    if (auto outcome = co_await PromoteExistingAdmin(db, outbox, authority, *normalized.value))
      co_return *outcome;
    const std::string hash = co_await authority.HashPassword(password);
    User admin = NewUser(core::NewUuid(), *normalized.value,
                         {"Store", "Administrator", std::nullopt, {Channel::kEmail}},
                         auth::RoleSet{auth::Role::kAdmin}, authority.Now());
    auto transaction = co_await db.Begin();
    if (co_await InsertUser(transaction, admin, hash)) {
      const std::vector<Event> events{UserRegistered{admin}};
      const messaging::EventContext new_flow;
      co_await outbox.Append(transaction, ToDrafts(events), new_flow);
      co_await transaction.Commit();
      co_return BootstrapOutcome::kCreated;
    }
  }
  throw std::runtime_error("the admin account could neither be created nor found");
}

struct AdminBootstrap::State {
  State(asio::any_io_executor executor, pg::Pool& db_, const messaging::Outbox& outbox_,
        const Authority& authority_, std::optional<AdminAccount> account_)
      : db(db_),
        outbox(outbox_),
        authority(authority_),
        account(std::move(account_)),
        timer(std::move(executor)),
        done(!account) {}

  pg::Pool& db;
  const messaging::Outbox& outbox;
  const Authority& authority;
  std::optional<AdminAccount> account;
  asio::steady_timer timer;
  bool done;
  bool started = false;
  bool stopped = false;
};

namespace {

std::string_view Describe(BootstrapOutcome outcome) {
  switch (outcome) {
    case BootstrapOutcome::kCreated:
      return "admin account created";
    case BootstrapOutcome::kPromoted:
      return "ADMIN granted to the configured admin account";
    case BootstrapOutcome::kAlreadyAdmin:
      return "admin account present";
  }
  return "admin account present";
}

asio::awaitable<void> EnsureLoop(std::shared_ptr<AdminBootstrap::State> state) {
  auto backoff = 200ms;
  while (!state->stopped) {
    try {
      const BootstrapOutcome outcome = co_await EnsureAdmin(state->db, state->outbox, state->authority,
                                                            state->account->email, state->account->password);
      log::Info(Describe(outcome), {{"email", state->account->email}});
      state->done = true;
      co_return;
    } catch (const std::exception& e) {
      log::Warn("admin bootstrap failed; retrying", {{"error", e.what()}, {"retry_in_ms", backoff.count()}});
    }
    state->timer.expires_after(backoff);
    co_await state->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, 5s);
  }
}

}  // namespace

AdminBootstrap::AdminBootstrap(asio::any_io_executor executor, pg::Pool& db, const messaging::Outbox& outbox,
                               const Authority& authority, std::optional<AdminAccount> account)
    : state_(std::make_shared<State>(std::move(executor), db, outbox, authority, std::move(account))) {}

AdminBootstrap::~AdminBootstrap() { Stop(); }

void AdminBootstrap::Start() {
  if (state_->started || state_->stopped || state_->done) return;
  state_->started = true;
  asio::co_spawn(state_->timer.get_executor(), EnsureLoop(state_), log::OnFailure{"admin bootstrap"});
}

void AdminBootstrap::Stop() {
  state_->stopped = true;
  state_->timer.cancel();
}

bool AdminBootstrap::Done() const { return state_->done; }

}  // namespace microstore::identity
