#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace microstore::gateway {

// Round robin over one area's instances (numbered 0..size-1), skipping the unhealthy ones.
//
// Every instance starts healthy, so a gateway that has just started serves at once; the active
// health check, which runs at start, corrects that within one round trip.
class UpstreamRing {
 public:
  explicit UpstreamRing(std::size_t instances);

  // The next healthy instance after the one picked last, never `exclude` (the instance a retry
  // moves away from); nullopt when there is none.
  std::optional<std::size_t> Pick(std::optional<std::size_t> exclude = std::nullopt);

  void SetHealthy(std::size_t instance, bool healthy);
  bool Healthy(std::size_t instance) const;
  std::size_t HealthyCount() const;
  std::size_t size() const { return healthy_.size(); }

 private:
  std::vector<bool> healthy_;
  std::size_t next_ = 0;
};

}  // namespace microstore::gateway
