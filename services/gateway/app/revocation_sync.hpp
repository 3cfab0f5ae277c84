#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace microstore::pg {
class Pool;
}

namespace microstore::gateway {

class RevocationCache;

struct RevocationSyncOptions {
  std::string listener_conninfo;  // the gateway's database, for a dedicated LISTEN connection
  // The fallback when a notification is lost (listener reconnecting): reload this often anyway.
  std::chrono::milliseconds poll_interval{1'000};
  std::chrono::milliseconds cleanup_interval{60'000};
  // Revoked tokens are kept (in the table and the cache) this long past their expiry: token
  // verification tolerates some clock skew (auth::Verifier's leeway, 30 s), so a token is not
  // refused by its expiry alone at once.
  std::chrono::seconds keep_expired{300};
};

// Keeps a replica's RevocationCache in step with the shared tables: loads everything once, then
// what changed, whenever a transaction that changed them commits (NOTIFY gateway_revocations),
// after every (re)connect of the listener and every poll_interval. Deletes tokens past their
// expiry (plus keep_expired) every cleanup_interval. Runs on the pool's executor.
//
// Metric: gateway_revocations{kind="token"|"user"}: revoked tokens and disabled users known.
class RevocationSync {
 public:
  // `pool` and `cache` must outlive this.
  RevocationSync(pg::Pool& pool, RevocationCache& cache, RevocationSyncOptions options);
  ~RevocationSync();
  RevocationSync(const RevocationSync&) = delete;
  RevocationSync& operator=(const RevocationSync&) = delete;

  void Start();
  void Stop();

  // True once the cache has been loaded: the gateway is not ready before.
  bool Loaded() const;
  // True while the LISTEN connection is up (changes then arrive at once, not at the next poll).
  bool Listening() const;
  // A readiness check: nullopt once loaded, else why not.
  boost::asio::awaitable<std::optional<std::string>> Readiness() const;
  // Brings the cache up to date now; throws what the database throws. For tests (Start() does
  // it on its own).
  boost::asio::awaitable<void> Refresh();

  struct State;  // defined in the .cpp; named here so its helpers can take it

 private:
  std::shared_ptr<State> state_;
};

}  // namespace microstore::gateway
