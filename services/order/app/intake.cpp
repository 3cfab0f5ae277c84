#include "order/app/intake.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "order/infra/order_store.hpp"
#include "platform/log/log.hpp"
#include "platform/metrics/metrics.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::order {
namespace {

namespace asio = boost::asio;

prometheus::Gauge& InFlightGauge() {
  static auto& gauge = metrics::GaugeFamily(metrics::Default(), "order_in_flight",
                                            "Orders PENDING or RESERVED at the last count")
                           .Add({});
  return gauge;
}

}  // namespace

struct Intake::State {
  State(pg::Pool& p, IntakeOptions o) : db(p), options(o) {}

  pg::Pool& db;
  IntakeOptions options;
  std::optional<asio::steady_timer> timer;  // from Start(): an Intake never started needs no loop
  std::int64_t counted = 0;         // at the last count
  std::int64_t accepted_since = 0;  // orders created since
  bool started = false;
  bool stopped = false;
};

namespace {

asio::awaitable<void> RecountLoop(std::shared_ptr<Intake::State> s) {
  bool warned = false;
  while (!s->stopped) {
    try {
      const std::int64_t accepted_before = s->accepted_since;
      const std::int64_t counted = co_await CountInFlight(s->db);
      // Orders accepted while the count ran may or may not be in it: keep them (an overestimate
      // refuses a little early, never lets too many in).
      s->counted = counted;
      s->accepted_since -= accepted_before;
      InFlightGauge().Set(static_cast<double>(counted));
      warned = false;
    } catch (const std::exception& e) {
      if (!warned) log::Warn("orders in flight not counted; keeping the last count", {{"error", e.what()}});
      warned = true;
    }
    s->timer->expires_after(s->options.recount);
    co_await s->timer->async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace

Intake::Intake(pg::Pool& db, IntakeOptions options) : state_(std::make_shared<State>(db, options)) {}

Intake::~Intake() { Stop(); }

void Intake::Start() {
  if (state_->started || state_->stopped || state_->options.max_in_flight <= 0) return;
  state_->started = true;
  state_->timer.emplace(state_->db.executor());
  asio::co_spawn(state_->db.executor(), RecountLoop(state_), log::OnFailure{"order intake recount"});
}

void Intake::Stop() {
  state_->stopped = true;
  if (state_->timer) state_->timer->cancel();
}

bool Intake::Admits() const {
  const State& s = *state_;
  return s.options.max_in_flight <= 0 || s.counted + s.accepted_since < s.options.max_in_flight;
}

void Intake::Accepted() { ++state_->accepted_since; }

}  // namespace microstore::order
