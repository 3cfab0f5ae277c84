#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>

namespace microstore::gateway {

class UpstreamPool;

struct HealthProbeOptions {
  std::chrono::milliseconds interval{2'000};  // between two checks of one instance
  std::chrono::milliseconds connect_timeout{2'000};
  // Deadline for the answer; capped at 5 s, since a slow health check means an unhealthy
  // instance however long real requests may take.
  std::chrono::milliseconds answer_timeout{10'000};
};

// Checks every instance of every area in `pool` with GET /health/ready every `interval` (each
// instance in a loop of its own) and records the outcome there: healthy on 200, unhealthy on any
// other status, a failed connection or no answer in time. Runs on `io`.
class HealthProbe {
 public:
  // `pool` must outlive the probe.
  HealthProbe(boost::asio::any_io_executor io, UpstreamPool& pool, HealthProbeOptions options);
  ~HealthProbe();
  HealthProbe(const HealthProbe&) = delete;
  HealthProbe& operator=(const HealthProbe&) = delete;

  // Call from the event loop's thread or before it runs.
  void Start();
  void Stop();

  struct State;  // defined in the .cpp; named here so its helpers can take it

 private:
  std::shared_ptr<State> state_;
};

}  // namespace microstore::gateway
