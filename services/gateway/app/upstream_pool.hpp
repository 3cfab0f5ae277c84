#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/domain/areas.hpp"
#include "gateway/domain/upstreams.hpp"
#include "platform/metrics/metrics.hpp"

namespace microstore::gateway {

// The instances of one area and which of them are healthy.
class AreaInstances {
 public:
  // `healthy_gauges`: one per instance, set to 1 (every instance starts healthy).
  AreaInstances(Area area, std::vector<prometheus::Gauge*> healthy_gauges);

  const std::string& name() const { return area_.name; }
  std::size_t size() const { return area_.instances.size(); }
  const UpstreamAddress& address(std::size_t instance) const { return area_.instances[instance]; }

  // The next healthy instance, round robin, never `exclude` (the one a retry moves away from);
  // nullopt when there is none.
  std::optional<std::size_t> Pick(std::optional<std::size_t> exclude = std::nullopt) {
    return ring_.Pick(exclude);
  }

  // Records what was learned of an instance: its health check's answer, or a request to it that
  // failed. A change is logged, with `reason` when the instance turns unhealthy.
  void SetHealth(std::size_t instance, bool healthy, std::string_view reason);

 private:
  Area area_;
  UpstreamRing ring_;
  std::vector<prometheus::Gauge*> healthy_gauges_;
};

// Every area's instances and their health, shared by the forwarding (api/upstream_client.hpp),
// which picks an instance and marks one whose connection failed, and the health probe
// (app/health_probe.hpp), which marks each by its GET /health/ready. Used on the event loop only.
//
// Metric (metrics::Default()): gateway_upstream_healthy{area,instance}, 1 while the instance is
// considered healthy, else 0.
class UpstreamPool {
 public:
  explicit UpstreamPool(const std::vector<Area>& areas);
  UpstreamPool(const UpstreamPool&) = delete;
  UpstreamPool& operator=(const UpstreamPool&) = delete;

  // The area named `name`, or null.
  AreaInstances* Find(std::string_view name);

  // By name (so in alphabetical order); the addresses stay where they are.
  std::map<std::string, AreaInstances, std::less<>>& areas() { return areas_; }
  const std::map<std::string, AreaInstances, std::less<>>& areas() const { return areas_; }

 private:
  std::map<std::string, AreaInstances, std::less<>> areas_;
};

}  // namespace microstore::gateway
