#include "gateway/config.hpp"

#include <filesystem>
#include <set>

namespace microstore::gateway {

using namespace std::chrono_literals;

GatewayConfig ReadConfig(config::Env& env) {
  GatewayConfig config;
  const std::string areas = env.String("MICROSTORE_GATEWAY_AREAS", "identity,catalog",
                                       "areas routed from /api/v1/<area>/…, comma-separated; each needs "
                                       "MICROSTORE_<AREA>_URL");
  std::set<std::string> seen;
  for (const auto& area : SplitList(areas)) {
    if (!IsValidAreaName(area)) {
      env.Reject("MICROSTORE_GATEWAY_AREAS",
                 "'" + area + "' is not an area name (a-z, 0-9, '-'; a letter first)");
      continue;
    }
    if (!seen.insert(area).second) {
      env.Reject("MICROSTORE_GATEWAY_AREAS", "'" + area + "' is listed twice");
      continue;
    }
    if (area == "gateway") {
      env.Reject("MICROSTORE_GATEWAY_AREAS", "'gateway' is the gateway's own (its dead letters)");
      continue;
    }
    const std::string variable = AreaUrlVariable(area);
    const std::string urls = env.Required(
        variable, "base URLs of the " + area + " service's instances, comma-separated http://host:port");
    Area entry{area, {}};
    for (const auto& url : SplitList(urls)) {
      if (auto address = ParseUpstreamUrl(url)) {
        entry.instances.push_back(std::move(*address));
      } else {
        env.Reject(variable, "'" + url + "' is not a base URL of the form http://host:port");
      }
    }
    if (!entry.instances.empty()) config.areas.push_back(std::move(entry));
  }
  if (SplitList(areas).empty()) env.Reject("MICROSTORE_GATEWAY_AREAS", "names no area");

  config.health_interval = env.Duration("MICROSTORE_GATEWAY_HEALTH_INTERVAL", 2s,
                                        "how often each instance's GET /health/ready is polled");
  config.connect_timeout = env.Duration("MICROSTORE_GATEWAY_CONNECT_TIMEOUT", 2s,
                                        "deadline for connecting to an upstream instance");
  config.upstream_timeout =
      env.Duration("MICROSTORE_GATEWAY_UPSTREAM_TIMEOUT", 10s,
                   "deadline for an upstream's answer, from sending the request (504 after)");
  for (const auto& [name, value] :
       {std::pair{"MICROSTORE_GATEWAY_HEALTH_INTERVAL", config.health_interval},
        std::pair{"MICROSTORE_GATEWAY_CONNECT_TIMEOUT", config.connect_timeout},
        std::pair{"MICROSTORE_GATEWAY_UPSTREAM_TIMEOUT", config.upstream_timeout}}) {
    if (value <= 0ms) env.Reject(name, "must be positive");
  }
  config.rate_limit = env.Int("MICROSTORE_GATEWAY_RATE_LIMIT", 50, 0, 1'000'000,
                              "requests per second per client (token subject, else address); 0 = no limit");
  config.rate_burst =
      env.Int("MICROSTORE_GATEWAY_RATE_BURST", 100, 1, 1'000'000, "requests a client may send at once");

  const std::string origins =
      env.String("MICROSTORE_GATEWAY_CORS_ORIGINS", "",
                 "origins allowed to call the API from a browser, comma-separated, or *; "
                 "empty = no CORS");
  auto cors = CorsPolicy::Parse(origins);
  if (auto* error = std::get_if<std::string>(&cors)) {
    env.Reject("MICROSTORE_GATEWAY_CORS_ORIGINS", *error);
  } else {
    config.cors = std::get<CorsPolicy>(cors);
  }

  config.static_dir = env.String("MICROSTORE_GATEWAY_STATIC_DIR", "",
                                 "directory of the storefront's files, served at /; empty = none");
  if (!config.static_dir.empty()) {
    std::error_code error;
    if (!std::filesystem::is_directory(config.static_dir, error)) {
      env.Reject("MICROSTORE_GATEWAY_STATIC_DIR", "'" + config.static_dir + "' is not a directory");
      config.static_dir.clear();
    }
  }
  return config;
}

}  // namespace microstore::gateway
