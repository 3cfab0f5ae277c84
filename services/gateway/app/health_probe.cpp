#include "gateway/app/health_probe.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>
#include <vector>

#include "gateway/app/upstream_pool.hpp"
#include "platform/http/client.hpp"
#include "platform/log/log.hpp"

namespace microstore::gateway {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr std::chrono::milliseconds kMaxHealthCheckTime = 5s;

http::ClientOptions ProbeClientOptions(const HealthProbeOptions& options) {
  http::ClientOptions client;
  client.connect_timeout = options.connect_timeout;
  client.request_timeout = std::min(options.answer_timeout, kMaxHealthCheckTime);
  client.max_idle_per_endpoint = 1;
  return client;
}

}  // namespace

struct HealthProbe::State {
  State(asio::any_io_executor io_executor, UpstreamPool& p, HealthProbeOptions o)
      : io(std::move(io_executor)), pool(p), options(o), client(io, ProbeClientOptions(options)) {}

  asio::any_io_executor io;
  UpstreamPool& pool;
  HealthProbeOptions options;
  http::Client client;
  std::vector<std::unique_ptr<asio::steady_timer>> timers;
  bool stopped = false;
};

namespace {

asio::awaitable<void> WatchInstance(std::shared_ptr<HealthProbe::State> state, AreaInstances* area,
                                    std::size_t index, asio::steady_timer* timer) {
  auto& s = *state;
  const UpstreamAddress address = area->address(index);
  while (!s.stopped) {
    bool healthy = false;
    std::string reason;
    http::ClientRequest probe;
    probe.target = "/health/ready";
    try {
      const auto answer = co_await s.client.Send(address.host, address.port, std::move(probe));
      healthy = answer.status == 200;
      if (!healthy) reason = "GET /health/ready answered " + std::to_string(answer.status);
    } catch (const http::ClientError& e) {
      reason = e.what();
    }
    if (s.stopped) break;
    area->SetHealth(index, healthy, reason);
    timer->expires_after(s.options.interval);
    co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace

HealthProbe::HealthProbe(asio::any_io_executor io, UpstreamPool& pool, HealthProbeOptions options)
    : state_(std::make_shared<State>(std::move(io), pool, options)) {}

HealthProbe::~HealthProbe() { Stop(); }

void HealthProbe::Start() {
  auto& s = *state_;
  if (!s.timers.empty() || s.stopped) return;
  for (auto& [name, area] : s.pool.areas()) {
    for (std::size_t index = 0; index < area.size(); ++index) {
      s.timers.push_back(std::make_unique<asio::steady_timer>(s.io));
      asio::co_spawn(s.io, WatchInstance(state_, &area, index, s.timers.back().get()),
                     log::OnFailure{"upstream health check"});
    }
  }
}

void HealthProbe::Stop() {
  auto& s = *state_;
  s.stopped = true;
  for (auto& timer : s.timers) timer->cancel();
}

}  // namespace microstore::gateway
