#pragma once

#include <string>

namespace microstore::testing {

// A RabbitMQ node of the test's own, for tests that stop, kill, freeze or restart the broker,
// which they must not do to the shared one. Started with deploy/local/infra.sh (the functions
// `./microstore` uses) in a fresh directory under /tmp: its own node name, free ports, its own
// epmd, ports below the kernel's ephemeral range. Booting takes ~10 s, so share one per test
// program where possible.
// The destructor kills the node and its epmd by pid and deletes the directory.
class PrivateRabbitMq {
 public:
  PrivateRabbitMq();  // starts the node and waits until it accepts AMQP
  ~PrivateRabbitMq();
  PrivateRabbitMq(const PrivateRabbitMq&) = delete;
  PrivateRabbitMq& operator=(const PrivateRabbitMq&) = delete;

  // amqp://guest:guest@127.0.0.1:<port>/%2f
  std::string Url() const;
  unsigned short port() const { return amqp_port_; }

  // Starts the node (data kept from before) and waits until it accepts AMQP.
  void Start();
  // Graceful shutdown (SIGTERM): clients get connection.close, as in a rolling restart.
  void Stop();
  // SIGKILL: a crash; clients see their connections reset.
  void Kill();
  void Restart();  // Stop + Start
  // SIGSTOP / SIGCONT: the node hangs with its connections open, then carries on.
  void Pause();
  void Resume();

 private:
  // Runs `script` with deploy/local/infra.sh sourced and DIR set; returns its standard output.
  std::string Infra(const std::string& script) const;
  void KillAll();

  std::string directory_;
  std::string node_;
  unsigned short amqp_port_ = 0;
  unsigned short management_port_ = 0;
  unsigned short distribution_port_ = 0;
  unsigned short epmd_port_ = 0;
  bool paused_ = false;
};

}  // namespace microstore::testing
