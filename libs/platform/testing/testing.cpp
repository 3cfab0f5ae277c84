#include "platform/testing/testing.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <thread>

#include "platform/core/ids.hpp"

namespace microstore::testing {
namespace {

using Conn = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Res = std::unique_ptr<PGresult, decltype(&PQclear)>;

Conn ConnectSync(const std::string& url) {
  Conn conn(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect to test database: " + std::string(PQerrorMessage(conn.get())));
  }
  return conn;
}

// Replaces the database path of a postgresql:// URI, keeping any query string.
std::string WithDatabase(const std::string& url, const std::string& database) {
  const auto scheme_end = url.find("://");
  const auto path = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  const auto query = url.find('?');
  std::string base = url.substr(0, path == std::string::npos ? (query == std::string::npos ? url.size() : query) : path);
  std::string tail = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + database + tail;
}

}  // namespace

std::string RequireEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    ADD_FAILURE() << name << " is not set: run the tests with `./microstore test`, which starts the servers";
    throw std::runtime_error(std::string(name) + " is not set");
  }
  return value;
}

std::string PgAdminUrl() { return RequireEnv("MICROSTORE_TEST_PG_URL"); }

TempDatabase::TempDatabase() {
  std::string id = core::NewUuid();
  std::erase(id, '-');
  name_ = "test_" + id.substr(0, 16);
  const std::string admin = PgAdminUrl();
  ExecSync(admin, "CREATE DATABASE " + name_);
  url_ = WithDatabase(admin, name_);
}

TempDatabase::~TempDatabase() {
  try {
    ExecSync(PgAdminUrl(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "dropping " << name_ << ": " << e.what();
  }
}

void ExecSync(const std::string& url, const std::string& sql) {
  Conn conn = ConnectSync(url);
  Res res(PQexec(conn.get(), sql.c_str()), &PQclear);
  const auto status = PQresultStatus(res.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(res.get()));
  }
}

std::string QueryValueSync(const std::string& url, const std::string& sql) {
  Conn conn = ConnectSync(url);
  Res res(PQexec(conn.get(), sql.c_str()), &PQclear);
  if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) {
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(res.get()));
  }
  if (PQntuples(res.get()) == 0) return "";
  return PQgetvalue(res.get(), 0, 0);
}

unsigned short FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < give_up) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

}  // namespace microstore::testing
