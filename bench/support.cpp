#include "support.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace microstore::bench {

namespace asio = boost::asio;

std::string Fixed(double value, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << value;
  return out.str();
}

std::string Thousands(double value) {
  std::string digits = std::to_string(static_cast<std::int64_t>(std::llround(value)));
  const std::size_t first = digits[0] == '-' ? 1 : 0;
  for (int i = static_cast<int>(digits.size()) - 3; i > static_cast<int>(first); i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

std::string Ms(double seconds) { return Fixed(seconds * 1000, seconds < 0.01 ? 2 : 1) + " ms"; }

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

std::string LatencyText(const std::vector<double>& seconds) {
  if (seconds.empty()) return "none";
  return "p50 " + Ms(Percentile(seconds, 0.50)) + ", p95 " + Ms(Percentile(seconds, 0.95)) + ", p99 " +
         Ms(Percentile(seconds, 0.99)) + ", max " + Ms(Percentile(seconds, 1.0));
}

void Say(const std::string& text) { std::cerr << "==> " << text << std::endl; }

std::string DatabaseUrl(const std::string& admin_url, const std::string& database) {
  auto parsed = boost::urls::parse_uri(admin_url);
  if (!parsed) throw std::invalid_argument("--pg-url is not a URL");
  boost::urls::url url(*parsed);
  url.set_path("/" + database);
  return std::string(url.buffer());
}

asio::awaitable<void> Sleep(std::chrono::steady_clock::duration duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<void> SleepUntil(std::chrono::steady_clock::time_point when) {
  asio::steady_timer timer(co_await asio::this_coro::executor, when);
  co_await timer.async_wait(asio::use_awaitable);
}

std::uint16_t FreePort() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace microstore::bench
