#include "platform/testing/private_postgres.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "platform/testing/testing.hpp"

namespace microstore::testing {
namespace {

constexpr const char* kBin = "/usr/lib/postgresql/15/bin";

// initdb refuses to run as root; as root the server runs as the `postgres` user instead.
std::string AsServerUser(const std::string& command) {
  if (::geteuid() != 0) return command;
  return "setpriv --reuid=postgres --regid=postgres --init-groups -- env -C / " + command;
}

}  // namespace

PrivatePostgres::PrivatePostgres() {
  char pattern[] = "/tmp/microstore-private-pg.XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  directory_ = pattern;
  Run("chmod 0755 " + directory_);
  if (::geteuid() == 0) Run("chown postgres " + directory_);
  Run(AsServerUser(std::string(kBin) + "/initdb -D " + directory_ + "/data -U postgres -A trust -E UTF8 " +
                   "--locale=C.UTF-8 >" + directory_ + "/initdb.log 2>&1"));
  port_ = FreePort();
  std::ofstream conf(directory_ + "/data/postgresql.conf", std::ios::app);
  conf << "listen_addresses = '127.0.0.1'\nport = " << port_ << "\nunix_socket_directories = '" << directory_
       << "'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
  conf.close();
  Start();
}

PrivatePostgres::~PrivatePostgres() {
  if (running_) {
    std::system(AsServerUser(std::string(kBin) + "/pg_ctl -D " + directory_ + "/data -m immediate -w stop >/dev/null 2>&1")
                    .c_str());
  }
  std::system(("rm -rf " + directory_).c_str());
}

std::string PrivatePostgres::Url(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

void PrivatePostgres::Start() {
  Run(AsServerUser(std::string(kBin) + "/pg_ctl -D " + directory_ + "/data -l " + directory_ +
                   "/postgres.log -w -t 60 start >/dev/null"));
  running_ = true;
}

void PrivatePostgres::Stop() {
  Run(AsServerUser(std::string(kBin) + "/pg_ctl -D " + directory_ + "/data -m fast -w -t 60 stop >/dev/null"));
  running_ = false;
}

void PrivatePostgres::Restart() {
  Stop();
  Start();
}

void PrivatePostgres::Run(const std::string& command) const {
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("failed: " + command + " (logs in " + directory_ + ")");
  }
}

}  // namespace microstore::testing
