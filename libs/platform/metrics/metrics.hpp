#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

// Prometheus metrics. The platform registers its own (HTTP, database pool, messaging); a service
// adds its business metrics to the same registry, and `/metrics` serves all of them.
namespace microstore::metrics {

using Registry = prometheus::Registry;

// The process-wide registry `/metrics` serves. Tests that need isolation make their own Registry.
Registry& Default();

// The registry's current state in Prometheus text exposition format 0.0.4.
std::string Serialize(const Registry& registry);

// Latency buckets from 0.25 ms to 10 s, for request and event handling durations in seconds.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

prometheus::Family<prometheus::Counter>& CounterFamily(Registry& registry, const std::string& name,
                                                       const std::string& help);
prometheus::Family<prometheus::Gauge>& GaugeFamily(Registry& registry, const std::string& name,
                                                   const std::string& help);
prometheus::Family<prometheus::Histogram>& HistogramFamily(Registry& registry, const std::string& name,
                                                           const std::string& help);

}  // namespace microstore::metrics
