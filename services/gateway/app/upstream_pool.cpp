#include "gateway/app/upstream_pool.hpp"

#include "platform/log/log.hpp"
#include "platform/metrics/metrics.hpp"

namespace microstore::gateway {

AreaInstances::AreaInstances(Area area, std::vector<prometheus::Gauge*> healthy_gauges)
    : area_(std::move(area)), ring_(area_.instances.size()), healthy_gauges_(std::move(healthy_gauges)) {
  for (prometheus::Gauge* gauge : healthy_gauges_) gauge->Set(1);
}

void AreaInstances::SetHealth(std::size_t instance, bool healthy, std::string_view reason) {
  if (ring_.Healthy(instance) != healthy) {
    const std::string label = area_.instances[instance].Label();
    if (healthy) {
      log::Info("upstream instance healthy", {{"area", area_.name}, {"instance", label}});
    } else {
      log::Warn("upstream instance unhealthy",
                {{"area", area_.name}, {"instance", label}, {"reason", reason}});
    }
  }
  ring_.SetHealthy(instance, healthy);
  healthy_gauges_[instance]->Set(healthy ? 1 : 0);
}

UpstreamPool::UpstreamPool(const std::vector<Area>& areas) {
  auto& healthy = metrics::GaugeFamily(metrics::Default(), "gateway_upstream_healthy",
                                       "1 while an upstream instance is considered healthy, else 0");
  for (const Area& area : areas) {
    std::vector<prometheus::Gauge*> gauges;
    for (const UpstreamAddress& instance : area.instances) {
      gauges.push_back(&healthy.Add({{"area", area.name}, {"instance", instance.Label()}}));
    }
    areas_.emplace(area.name, AreaInstances(area, std::move(gauges)));
  }
}

AreaInstances* UpstreamPool::Find(std::string_view name) {
  const auto found = areas_.find(name);
  return found == areas_.end() ? nullptr : &found->second;
}

}  // namespace microstore::gateway
