#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <optional>

#include "identity/app/config.hpp"

namespace microstore::identity {

class Identity;

// Runs Identity::EnsureAdmin for the configured account in the background once started,
// retrying with a back-off (up to 5 s) until it succeeds. Done() stays false until then, so the
// service reports not ready while its admin may still be missing. Without an account it is done
// at once.
class AdminBootstrap {
 public:
  AdminBootstrap(boost::asio::any_io_executor executor, Identity& identity,
                 std::optional<AdminAccount> account);
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
