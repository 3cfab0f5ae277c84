#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The ping service's domain: pure types and rules (no JSON, no I/O, no clock). Built as the
// guarded library microstore_ping_domain, which cannot include anything but the pure core.
namespace microstore::ping {

// How often someone visited a name.
struct Visits {
  std::string name;
  std::int64_t count = 0;

  bool operator==(const Visits&) const = default;
};

// A name is 1..kMaxNameBytes bytes (the table's CHECK says the same).
inline constexpr std::size_t kMaxNameBytes = 64;
bool IsValidName(std::string_view name);

// GET /ping?delay_ms=N: N is a decimal integer from 0 to kMaxDelay; nullopt for anything else.
inline constexpr std::chrono::milliseconds kMaxDelay{5000};
std::optional<std::chrono::milliseconds> ParseDelay(std::string_view text);

}  // namespace microstore::ping
