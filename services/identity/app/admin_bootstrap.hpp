#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>

#include "identity/infra/config.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
}

// The first administrator comes from configuration (MICROSTORE_IDENTITY_ADMIN_EMAIL/_PASSWORD).
namespace microstore::identity {

class Authority;

enum class BootstrapOutcome { kCreated, kPromoted, kAlreadyAdmin };

// Makes sure a user with this e-mail holds ADMIN. Creates it with this password (UserRegistered)
// when missing; otherwise adds ADMIN if missing (UserRolesChanged) and never touches its
// password. Each event starts a flow of its own. Safe when several replicas run it at once.
// Throws std::invalid_argument for an e-mail that is not one (ReadConfig refuses those first).
boost::asio::awaitable<BootstrapOutcome> EnsureAdmin(pg::Pool& db, const messaging::Outbox& outbox,
                                                     const Authority& authority, std::string email,
                                                     std::string password);

// Runs EnsureAdmin for the configured account in the background once started, retrying with a
// back-off (up to 5 s) until it succeeds. Done() stays false until then, so the service reports
// not ready while its admin may still be missing. Without an account it is done at once.
// `db`, `outbox` and `authority` must outlive it.
class AdminBootstrap {
 public:
  AdminBootstrap(boost::asio::any_io_executor executor, pg::Pool& db, const messaging::Outbox& outbox,
                 const Authority& authority, std::optional<AdminAccount> account);
  ~AdminBootstrap();
  AdminBootstrap(const AdminBootstrap&) = delete;
  AdminBootstrap& operator=(const AdminBootstrap&) = delete;

  void Start();
  void Stop();
  bool Done() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace microstore::identity
