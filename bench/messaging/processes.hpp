#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

// The processes a benchmark starts and watches: children with their output in a log file, and
// CPU time per process read from /proc (no pidstat needed).
namespace microstore::bench {

// A child process started with this process's environment plus `environment`, its standard output
// and error appended to `log_path`. The destructor stops it (Stop()).
class Child {
 public:
  Child(std::string name, const std::string& binary, const std::map<std::string, std::string>& environment,
        std::string log_path);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  const std::string& name() const { return name_; }
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }
  bool Running();
  // SIGTERM, then SIGKILL after `grace`; returns the exit code (128 + signal when killed).
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(15));

 private:
  std::string name_;
  std::string log_path_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// CPU time of named groups of processes, sampled from /proc. A group is a process, optionally
// with its direct children (a PostgreSQL postmaster and its backends).
class CpuMeter {
 public:
  struct Sample {
    std::chrono::steady_clock::time_point at;
    std::map<std::string, std::map<pid_t, std::uint64_t>> ticks;  // group -> pid -> utime + stime
    std::uint64_t machine_busy = 0;                                // /proc/stat, all cores
    std::uint64_t machine_total = 0;
  };
  // CPU used between two samples: cores (1.0 = one core busy all the time) per group, and the
  // machine's busy share of all its cores.
  struct Usage {
    std::vector<std::pair<std::string, double>> cores;
    double machine_busy = 0;  // 0..1
  };

  void Watch(std::string group, pid_t pid, bool with_children);
  Sample Take() const;
  Usage Between(const Sample& begin, const Sample& end) const;

 private:
  struct Watched {
    std::string group;
    pid_t pid;
    bool with_children;
  };
  std::vector<Watched> watched_;
};

}  // namespace microstore::bench
