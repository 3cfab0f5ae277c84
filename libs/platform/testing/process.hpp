#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microstore::testing {

// A child process started by a test, with its standard output and error captured to a file and
// none of the test's other descriptors.
// The destructor kills it (SIGKILL) and reaps it, so a failing test leaves nothing running.
class ChildProcess {
 public:
  // Starts `binary` with `args`, the test's environment plus `environment` (which overrides).
  ChildProcess(const std::string& binary, std::vector<std::string> args,
               const std::map<std::string, std::string>& environment);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signal) const;
  // The exit code once the process has ended within `timeout` (128 + signal when killed by one);
  // nullopt if it is still running.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  bool Running();
  // Everything the process wrote so far.
  std::string Output() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string output_path_;
};

// Polls `GET http://127.0.0.1:<port><path>` until it answers `status` or `timeout` passes.
bool WaitForHttpStatus(unsigned short port, const std::string& path, int status, std::chrono::milliseconds timeout);

// One blocking HTTP/1.1 request on a fresh connection; returns status and body (status 0 when
// the connection failed).
struct SimpleResponse {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  // The first header of that name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};
SimpleResponse HttpRequest(unsigned short port, const std::string& method, const std::string& target,
                           const std::string& body = "", const std::string& extra_headers = "");

}  // namespace microstore::testing
