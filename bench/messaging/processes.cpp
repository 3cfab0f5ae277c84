#include "processes.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace microstore::bench {
namespace {

struct ProcStat {
  pid_t ppid = 0;
  std::uint64_t ticks = 0;
};

// Fields of /proc/PID/stat after the command name: state ppid ... utime (14th) stime (15th).
bool ReadStat(pid_t pid, ProcStat& stat) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return false;
  const auto close = text.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream fields(text.substr(close + 2));
  std::string state;
  std::uint64_t skip = 0, utime = 0, stime = 0;
  fields >> state >> stat.ppid;
  for (int field = 5; field <= 13; ++field) fields >> skip;
  fields >> utime >> stime;
  if (!fields) return false;
  stat.ticks = utime + stime;
  return true;
}

std::vector<pid_t> AllPids() {
  std::vector<pid_t> pids;
  DIR* dir = ::opendir("/proc");
  if (dir == nullptr) return pids;
  while (const dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0') pids.push_back(static_cast<pid_t>(pid));
  }
  ::closedir(dir);
  return pids;
}

}  // namespace

Child::Child(std::string name, const std::string& binary, const std::map<std::string, std::string>& environment,
             std::string log_path)
    : name_(std::move(name)), log_path_(std::move(log_path)) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto eq = text.find('=');
    if (eq != std::string::npos) merged[text.substr(0, eq)] = text.substr(eq + 1);
  }
  for (const auto& [key, value] : environment) merged[key] = value;
  std::vector<std::string> strings;
  for (const auto& [key, value] : merged) strings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& text : strings) envp.push_back(text.data());
  envp.push_back(nullptr);
  std::string program = binary;
  char* argv[] = {program.data(), nullptr};

  const int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + log_path_);
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(fd);
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execve(program.c_str(), argv, envp.data());
    ::_exit(127);
  }
  ::close(fd);
}

Child::~Child() { Stop(); }

bool Child::Running() {
  if (exit_code_ >= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return true;
}

int Child::Stop(std::chrono::milliseconds grace) {
  if (!Running()) return exit_code_;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      exit_code_ = 128 + SIGKILL;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return exit_code_;
}

void CpuMeter::Watch(std::string group, pid_t pid, bool with_children) {
  watched_.push_back({std::move(group), pid, with_children});
}

CpuMeter::Sample CpuMeter::Take() const {
  Sample sample;
  sample.at = std::chrono::steady_clock::now();
  std::map<pid_t, ProcStat> all;
  bool any_children = false;
  for (const auto& w : watched_) any_children = any_children || w.with_children;
  if (any_children) {
    for (const pid_t pid : AllPids()) {
      ProcStat stat;
      if (ReadStat(pid, stat)) all[pid] = stat;
    }
  }
  for (const auto& w : watched_) {
    auto& group = sample.ticks[w.group];
    ProcStat stat;
    if (ReadStat(w.pid, stat)) group[w.pid] = stat.ticks;
    if (w.with_children) {
      for (const auto& [pid, child] : all) {
        if (child.ppid == w.pid) group[pid] = child.ticks;
      }
    }
  }
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;
  std::uint64_t value = 0;
  for (int field = 0; field < 8 && in >> value; ++field) {
    sample.machine_total += value;
    if (field != 3 && field != 4) sample.machine_busy += value;  // idle, iowait
  }
  return sample;
}

CpuMeter::Usage CpuMeter::Between(const Sample& begin, const Sample& end) const {
  Usage usage;
  const double seconds = std::chrono::duration<double>(end.at - begin.at).count();
  const double hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
  for (const auto& w : watched_) {
    if (std::any_of(usage.cores.begin(), usage.cores.end(), [&](const auto& c) { return c.first == w.group; }))
      continue;
    std::uint64_t used = 0;
    const auto after = end.ticks.find(w.group);
    const auto before = begin.ticks.find(w.group);
    if (after == end.ticks.end() || after->second.empty()) continue;  // gone by the end
    {
      for (const auto& [pid, ticks] : after->second) {
        std::uint64_t start = 0;
        if (before != begin.ticks.end()) {
          const auto it = before->second.find(pid);
          if (it != before->second.end()) start = it->second;
        }
        used += ticks >= start ? ticks - start : 0;
      }
    }
    usage.cores.emplace_back(w.group, seconds > 0 ? static_cast<double>(used) / hz / seconds : 0.0);
  }
  const auto total = end.machine_total - begin.machine_total;
  if (total > 0) usage.machine_busy = static_cast<double>(end.machine_busy - begin.machine_busy) / total;
  return usage;
}

}  // namespace microstore::bench
