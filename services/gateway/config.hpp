#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "gateway/domain/areas.hpp"
#include "gateway/domain/cors.hpp"
#include "platform/config/env.hpp"

// The gateway's settings, read once by main.cpp, which hands each piece the part it needs: the
// wiring, not a layer (no api/, app/ or infra/ file includes this).
namespace microstore::gateway {

struct GatewayConfig {
  std::vector<Area> areas;
  std::chrono::milliseconds health_interval{2'000};
  std::chrono::milliseconds connect_timeout{2'000};
  std::chrono::milliseconds upstream_timeout{10'000};
  std::int64_t rate_limit = 50;  // requests per second per client; 0 turns limiting off
  std::int64_t rate_burst = 100;
  CorsPolicy cors;
  std::string static_dir;  // "" when the gateway serves no files
};

// Reads the gateway's settings (MICROSTORE_GATEWAY_*, MICROSTORE_<AREA>_URL), recording every
// problem in `env` (reported all at once by Env::Finish) and keeping defaults where a value is bad.
GatewayConfig ReadConfig(config::Env& env);

}  // namespace microstore::gateway
