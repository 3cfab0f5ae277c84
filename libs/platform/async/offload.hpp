#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>
#include <utility>

// Runs blocking work on a worker pool (Service::Workers()) and resumes the calling coroutine on
// its own executor with the result, or with the exception the work threw:
//
//   auto list = [url, queue] { return amqp::QueueAdmin(url).Peek(queue, 50); };  // own statement
//   std::vector<amqp::Delivery> found = co_await async::Offload(workers, std::move(list));
//
// `work` runs on another thread: it must own what it touches (capture by value) and must not use
// anything bound to the event loop (pools, sockets, timers). Build the callable in a statement of
// its own, not inside the co_await expression (a g++ 12 bug destroys such captures twice).
//
// Note: `co_await asio::post(workers, use_awaitable)` would not move the coroutine: its
// completion is dispatched back to the coroutine's own executor. Hence co_spawn here.
namespace microstore::async {

namespace detail {
template <typename F>
boost::asio::awaitable<std::invoke_result_t<F&>> CallOnce(F work) {
  co_return work();
}
}  // namespace detail

template <typename F>
boost::asio::awaitable<std::invoke_result_t<F&>> Offload(boost::asio::any_io_executor worker, F work) {
  co_return co_await boost::asio::co_spawn(worker, detail::CallOnce(std::move(work)),
                                           boost::asio::use_awaitable);
}

}  // namespace microstore::async
