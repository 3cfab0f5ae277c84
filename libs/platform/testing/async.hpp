#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>

// Helpers for tests written as coroutines.
//
// g++ 12 pitfalls met while writing them: a lambda written inside a co_await expression must
// capture only trivially destructible values (its captures are destroyed twice), and a co_await
// inside an argument list that also builds a braced options struct can use freed memory. Build
// such values in a statement of their own first.
namespace microstore::testing {

// The exception of type E that `operation` ends with, or nullopt when it succeeds. Any other
// exception propagates.
template <typename E, typename T>
boost::asio::awaitable<std::optional<E>> Catch(boost::asio::awaitable<T> operation) {
  try {
    co_await std::move(operation);
  } catch (const E& e) {
    co_return e;
  }
  co_return std::nullopt;
}

// Polls until `condition` holds. The deadline only guards against a hang; it is not an assertion
// about speed.
inline boost::asio::awaitable<void> WaitUntil(std::function<bool()> condition,
                                              std::chrono::seconds deadline = std::chrono::seconds(30)) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) throw std::runtime_error("condition not reached in time");
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

}  // namespace microstore::testing
