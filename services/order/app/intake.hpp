#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

namespace microstore::pg {
class Pool;
}

// Admission control for POST /orders: the store takes in no more orders than the saga can finish
// promptly. The work in flight is the number of orders PENDING or RESERVED, counted in the
// database (so every replica sees the same figure) every `recount`, plus the orders this process
// created since the last count. While that reaches `max_in_flight`, new orders are refused with
// 503 and Retry-After instead of being accepted to wait: by Little's law an accepted order waits
// about max_in_flight / (orders finished per second), whatever the offered load.
namespace microstore::order {

struct IntakeOptions {
  std::int64_t max_in_flight = 0;  // 0: no bound
  std::chrono::milliseconds recount{50};
};

class Intake {
 public:
  Intake(pg::Pool& db, IntakeOptions options);
  ~Intake();  // Stop()
  Intake(const Intake&) = delete;
  Intake& operator=(const Intake&) = delete;

  // Counts every `recount` in the background on the pool's executor, until Stop().
  void Start();
  void Stop();

  // False while the work in flight has reached the bound: refuse the order.
  bool Admits() const;
  // An order was created (counted until the next recount).
  void Accepted();

  struct State;  // defined in the .cpp; named here so its helpers can take it

 private:
  std::shared_ptr<State> state_;
};

}  // namespace microstore::order
