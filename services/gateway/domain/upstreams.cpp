#include "gateway/domain/upstreams.hpp"

#include <algorithm>
#include <cassert>

namespace microstore::gateway {

UpstreamRing::UpstreamRing(std::size_t instances) : healthy_(instances, true) {}

std::optional<std::size_t> UpstreamRing::Pick(std::optional<std::size_t> exclude) {
  const std::size_t count = healthy_.size();
  for (std::size_t step = 0; step < count; ++step) {
    const std::size_t candidate = (next_ + step) % count;
    if (!healthy_[candidate] || candidate == exclude) continue;
    next_ = (candidate + 1) % count;
    return candidate;
  }
  return std::nullopt;
}

void UpstreamRing::SetHealthy(std::size_t instance, bool healthy) {
  assert(instance < healthy_.size());
  healthy_[instance] = healthy;
}

bool UpstreamRing::Healthy(std::size_t instance) const {
  assert(instance < healthy_.size());
  return healthy_[instance];
}

std::size_t UpstreamRing::HealthyCount() const {
  return static_cast<std::size_t>(std::count(healthy_.begin(), healthy_.end(), true));
}

}  // namespace microstore::gateway
