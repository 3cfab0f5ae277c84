#include "platform/config/env.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>

namespace microstore::config {
namespace {

bool ParseInt(std::string_view text, std::int64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// Splits "16KiB" into 16 and "KiB".
bool SplitNumber(std::string_view text, std::int64_t& number, std::string_view& unit) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  unit = text.substr(digits);
  return ParseInt(text.substr(0, digits), number);
}

std::string FormatDuration(std::chrono::milliseconds value) {
  const auto ms = value.count();
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::string FormatBytes(std::uint64_t value) {
  if (value != 0 && value % (1u << 30) == 0) return std::to_string(value >> 30) + "GiB";
  if (value != 0 && value % (1u << 20) == 0) return std::to_string(value >> 20) + "MiB";
  if (value != 0 && value % (1u << 10) == 0) return std::to_string(value >> 10) + "KiB";
  return std::to_string(value);
}

}  // namespace

Env::Env() : Env([](const char* name) { return std::getenv(name); }) {}
Env::Env(Lookup lookup) : lookup_(std::move(lookup)) {}

const char* Env::Read(const std::string& name, std::string fallback, const std::string& description) {
  variables_.push_back({name, std::move(fallback), description});
  const char* value = lookup_(name.c_str());
  return (value != nullptr && *value != '\0') ? value : nullptr;
}

std::string Env::String(const std::string& name, const std::string& fallback, const std::string& description) {
  const char* value = Read(name, fallback, description);
  return value != nullptr ? value : fallback;
}

std::string Env::Required(const std::string& name, const std::string& description, bool secret) {
  const char* value = Read(name, secret ? "(required, secret)" : "(required)", description);
  if (value == nullptr) {
    problems_.push_back(name + " is required: " + description);
    return {};
  }
  return value;
}

std::int64_t Env::Int(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max,
                      const std::string& description) {
  const char* value = Read(name, std::to_string(fallback), description);
  if (value == nullptr) return fallback;
  std::int64_t parsed = 0;
  if (!ParseInt(value, parsed) || parsed < min || parsed > max) {
    problems_.push_back(name + "='" + value + "' must be a whole number from " + std::to_string(min) + " to " +
                        std::to_string(max));
    return fallback;
  }
  return parsed;
}

bool Env::Bool(const std::string& name, bool fallback, const std::string& description) {
  const char* value = Read(name, fallback ? "true" : "false", description);
  if (value == nullptr) return fallback;
  const std::string_view text(value);
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  problems_.push_back(name + "='" + value + "' must be true or false");
  return fallback;
}

std::chrono::milliseconds Env::Duration(const std::string& name, std::chrono::milliseconds fallback,
                                        const std::string& description) {
  const char* value = Read(name, FormatDuration(fallback), description);
  if (value == nullptr) return fallback;
  std::int64_t number = 0;
  std::string_view unit;
  if (SplitNumber(value, number, unit)) {
    if (unit.empty() || unit == "ms") return std::chrono::milliseconds(number);
    if (unit == "s") return std::chrono::seconds(number);
    if (unit == "m") return std::chrono::minutes(number);
    if (unit == "h") return std::chrono::hours(number);
  }
  problems_.push_back(name + "='" + value + "' must be a duration such as 250ms, 5s, 2m or 1h");
  return fallback;
}

std::uint64_t Env::Bytes(const std::string& name, std::uint64_t fallback, const std::string& description) {
  const char* value = Read(name, FormatBytes(fallback), description);
  if (value == nullptr) return fallback;
  std::int64_t number = 0;
  std::string_view unit;
  if (SplitNumber(value, number, unit)) {
    if (unit.empty() || unit == "B") return number;
    if (unit == "KiB") return number << 10;
    if (unit == "MiB") return number << 20;
    if (unit == "GiB") return static_cast<std::uint64_t>(number) << 30;
  }
  problems_.push_back(name + "='" + value + "' must be a size such as 512, 16KiB, 1MiB or 1GiB");
  return fallback;
}

std::string Env::OneOf(const std::string& name, const std::string& fallback, const std::vector<std::string>& choices,
                       const std::string& description) {
  std::string value = String(name, fallback, description);
  if (std::find(choices.begin(), choices.end(), value) != choices.end()) return value;
  std::string list;
  for (const auto& choice : choices) list += (list.empty() ? "" : ", ") + choice;
  problems_.push_back(name + "='" + value + "' must be one of " + list);
  return fallback;
}

void Env::Reject(const std::string& name, const std::string& problem) { problems_.push_back(name + ": " + problem); }

void Env::Finish() const {
  if (problems_.empty()) return;
  std::string message = "invalid configuration:";
  for (const auto& problem : problems_) message += "\n  - " + problem;
  throw ConfigError(message);
}

std::string Env::Describe() const {
  std::string out = "| variable | default | meaning |\n|---|---|---|\n";
  for (const auto& v : variables_) out += "| `" + v.name + "` | `" + v.fallback + "` | " + v.description + " |\n";
  return out;
}

}  // namespace microstore::config
