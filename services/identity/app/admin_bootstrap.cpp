#include "identity/app/admin_bootstrap.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "identity/app/identity.hpp"
#include "platform/log/log.hpp"

namespace microstore::identity {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct AdminBootstrap::State {
  State(asio::any_io_executor executor, Identity& identity_, std::optional<AdminAccount> account_)
      : identity(identity_), account(std::move(account_)), timer(std::move(executor)), done(!account) {}

  Identity& identity;
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
      const BootstrapOutcome outcome =
          co_await state->identity.EnsureAdmin(state->account->email, state->account->password);
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

AdminBootstrap::AdminBootstrap(asio::any_io_executor executor, Identity& identity,
                               std::optional<AdminAccount> account)
    : state_(std::make_shared<State>(std::move(executor), identity, std::move(account))) {}

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
