#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

// What every benchmark tool prints and needs: number formats, percentiles, progress lines, the URL
// of a database on the throw-away cluster, pauses and free ports.
namespace microstore::bench {

// A check of the benchmark failed (an invariant, a count): the run's figures are not valid.
class Failed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string Fixed(double value, int digits);
std::string Thousands(double value);  // 1234567 → "1,234,567"
std::string Ms(double seconds);       // "12.3 ms" (two decimals below 10 ms)
// The p-quantile (0 < p ≤ 1) by the nearest-rank method; NaN for no values.
double Percentile(std::vector<double> values, double p);
// "p50 …, p95 …, p99 …, max …" of latencies in seconds; "none" for no values.
std::string LatencyText(const std::vector<double>& seconds);
// A progress line on standard error: "==> text".
void Say(const std::string& text);

// `admin_url` (a libpq URI) with its path replaced by `database`. Throws std::invalid_argument.
std::string DatabaseUrl(const std::string& admin_url, const std::string& database);

boost::asio::awaitable<void> Sleep(std::chrono::steady_clock::duration duration);
boost::asio::awaitable<void> SleepUntil(std::chrono::steady_clock::time_point when);

// A TCP port on 127.0.0.1 that was free a moment ago.
std::uint16_t FreePort();

}  // namespace microstore::bench
