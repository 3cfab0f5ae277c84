#include "platform/async/offload.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <stdexcept>
#include <thread>

#include "platform/testing/async.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace mt = microstore::testing;
using microstore::async::Offload;

struct Threads {
  std::thread::id loop;
  std::thread::id work;
  std::thread::id after;
};

asio::awaitable<int> AddOnWorker(asio::any_io_executor workers, Threads* threads) {
  threads->loop = std::this_thread::get_id();
  auto work = [threads] {
    threads->work = std::this_thread::get_id();
    return 40 + 2;
  };
  const int result = co_await Offload(workers, std::move(work));
  threads->after = std::this_thread::get_id();
  co_return result;
}

TEST(Offload, RunsTheWorkOnAWorkerAndResumesOnTheLoop) {
  asio::thread_pool workers(1);
  asio::io_context io;
  Threads threads;
  EXPECT_EQ(mt::Run(io, AddOnWorker(workers.get_executor(), &threads)), 42);
  EXPECT_NE(threads.work, threads.loop);
  EXPECT_EQ(threads.after, threads.loop);
  EXPECT_EQ(threads.loop, std::this_thread::get_id());
}

asio::awaitable<std::string> FailOnWorker(asio::any_io_executor workers) {
  auto work = []() -> int { throw std::runtime_error("broker unreachable"); };
  try {
    co_await Offload(workers, std::move(work));
  } catch (const std::runtime_error& e) {
    co_return e.what();
  }
  co_return "no exception";
}

TEST(Offload, PassesTheWorksExceptionBack) {
  asio::thread_pool workers(1);
  asio::io_context io;
  EXPECT_EQ(mt::Run(io, FailOnWorker(workers.get_executor())), "broker unreachable");
}

asio::awaitable<void> VoidWork(asio::any_io_executor workers, int* calls) {
  auto work = [calls] { ++*calls; };
  co_await Offload(workers, std::move(work));
}

TEST(Offload, WorkWithoutAResult) {
  asio::thread_pool workers(1);
  asio::io_context io;
  int calls = 0;
  mt::Run(io, VoidWork(workers.get_executor(), &calls));
  EXPECT_EQ(calls, 1);
}

}  // namespace
