#pragma once

#include <string>

namespace microstore::testing {

// A PostgreSQL 15 server of the test's own: initdb into a fresh temporary directory, started on a
// free port. For tests that stop or restart the server, which they must not do to the shared test
// cluster. Setting one up takes about a second, so use TempDatabase for everything else.
// The destructor stops the server (immediate mode) and deletes its directory.
class PrivatePostgres {
 public:
  PrivatePostgres();
  ~PrivatePostgres();
  PrivatePostgres(const PrivatePostgres&) = delete;
  PrivatePostgres& operator=(const PrivatePostgres&) = delete;

  // A libpq URI for `database` on this server (user postgres, no password).
  std::string Url(const std::string& database = "postgres") const;
  unsigned short port() const { return port_; }

  void Start();
  // Fast shutdown: clients are disconnected, as in a real restart or failover.
  void Stop();
  void Restart();

 private:
  void Run(const std::string& command) const;

  std::string directory_;
  unsigned short port_ = 0;
  bool running_ = false;
};

}  // namespace microstore::testing
