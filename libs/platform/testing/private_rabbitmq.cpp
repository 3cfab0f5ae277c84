#include "platform/testing/private_rabbitmq.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "platform/core/ids.hpp"
#include "platform/testing/testing.hpp"

namespace microstore::testing {
namespace {

// The file's contents, or what could be read of it: a /proc file of a process that exits
// meanwhile fails with ESRCH, which std::ifstream would turn into an exception.
std::string ReadFile(const std::string& path) {
  std::string out;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// Live (not zombie) processes whose command line contains `pattern`.
std::vector<pid_t> FindProcesses(const std::string& pattern) {
  std::vector<pid_t> pids;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return pids;
  while (const dirent* entry = ::readdir(proc)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (pid <= 0 || pid == ::getpid()) continue;
    const std::string base = "/proc/" + std::string(entry->d_name);
    std::string command = ReadFile(base + "/cmdline");
    for (char& c : command) {
      if (c == '\0') c = ' ';
    }
    if (command.find(pattern) == std::string::npos) continue;
    const std::string stat = ReadFile(base + "/stat");
    const auto close = stat.rfind(')');
    if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z') continue;
    pids.push_back(pid);
  }
  ::closedir(proc);
  return pids;
}

std::string Tail(const std::string& text, std::size_t lines = 20) {
  std::size_t at = text.size();
  while (lines-- > 0 && at > 0) {
    const auto newline = text.rfind('\n', at - 1);
    if (newline == std::string::npos) return text;
    at = newline;
  }
  return text.substr(at == 0 ? 0 : at + 1);
}

}  // namespace

PrivateRabbitMq::PrivateRabbitMq() {
  char pattern[] = "/tmp/microstore-private-rabbitmq.XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  directory_ = pattern;
  ::chmod(directory_.c_str(), 0755);  // the node runs as user rabbitmq when we are root
  node_ = "microstore-private-" + core::NewUuid().substr(0, 8) + "@localhost";
  try {
    // infra::free_port picks ports below the ephemeral range: a port from the kernel's range could
    // be taken, between a stop and a start, by a client's outgoing connection.
    std::istringstream ports(
        Infra("infra::free_port a && infra::free_port m && infra::free_port d && infra::free_port e && "
              "echo $a $m $d $e"));
    ports >> amqp_port_ >> management_port_ >> distribution_port_ >> epmd_port_;
    if (!ports) throw std::runtime_error("infra::free_port gave no ports");
    Start();
  } catch (...) {
    KillAll();
    throw;
  }
}

PrivateRabbitMq::~PrivateRabbitMq() { KillAll(); }

void PrivateRabbitMq::KillAll() {
  std::vector<pid_t> pids = FindProcesses("-home " + directory_ + "/rabbitmq/home ");
  const std::string epmd = ReadFile(directory_ + "/rabbitmq/epmd.pid");
  if (const pid_t pid = static_cast<pid_t>(std::atoi(epmd.c_str())); pid > 0) pids.push_back(pid);
  for (const pid_t pid : pids) ::kill(pid, SIGKILL);
  std::system(("rm -rf '" + directory_ + "'").c_str());
}

std::string PrivateRabbitMq::Url() const {
  return "amqp://guest:guest@127.0.0.1:" + std::to_string(amqp_port_) + "/%2f";
}

void PrivateRabbitMq::Start() {
  Infra("infra::rabbit_launch \"$DIR\" " + node_ + " " + std::to_string(amqp_port_) + " " +
        std::to_string(management_port_) + " " + std::to_string(distribution_port_) + " " +
        std::to_string(epmd_port_) + " && infra::rabbit_await \"$DIR\"");
}

void PrivateRabbitMq::Stop() {
  if (paused_) Resume();
  Infra("infra::rabbit_stop \"$DIR\"");
}

void PrivateRabbitMq::Kill() {
  Infra("infra::rabbit_stop \"$DIR\" kill");
  paused_ = false;
}

void PrivateRabbitMq::Restart() {
  Stop();
  Start();
}

void PrivateRabbitMq::Pause() {
  Infra("infra::rabbit_signal \"$DIR\" STOP");
  paused_ = true;
}

void PrivateRabbitMq::Resume() {
  Infra("infra::rabbit_signal \"$DIR\" CONT");
  paused_ = false;
}

std::string PrivateRabbitMq::Infra(const std::string& script) const {
  const std::string log = directory_ + "/infra.log";
  const std::string command = "DIR='" + directory_ +
                              "' bash -c 'source \"" MICROSTORE_SOURCE_DIR "/deploy/local/infra.sh\" && " +
                              script + "' 2>>'" + log + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  std::string output;
  char buffer[256];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  if (::pclose(pipe) != 0) {
    // The directory goes with the object: say here what went wrong.
    throw std::runtime_error("failed: " + script + "\n---- " + log + " ----\n" + Tail(ReadFile(log)) +
                             "---- " + node_ + ".log ----\n" +
                             Tail(ReadFile(directory_ + "/rabbitmq/log/" + node_ + ".log")));
  }
  return output;
}

}  // namespace microstore::testing
