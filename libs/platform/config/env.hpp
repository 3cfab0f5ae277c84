#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace microstore::config {

// Start-up configuration is wrong; the message names every offending variable.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads settings from environment variables. Every read declares the variable's default and
// meaning, so the same code validates the configuration and documents it (`Describe`).
// Problems are collected rather than thrown one by one: `Finish` reports all of them at once,
// so an operator fixes a deployment in one round.
class Env {
 public:
  using Lookup = std::function<const char*(const char*)>;
  Env();  // reads the process environment
  explicit Env(Lookup lookup);

  std::string String(const std::string& name, const std::string& fallback, const std::string& description);
  // Unset or empty is an error. `secret` keeps the value out of `Describe`.
  std::string Required(const std::string& name, const std::string& description, bool secret = false);
  std::int64_t Int(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max,
                   const std::string& description);
  bool Bool(const std::string& name, bool fallback, const std::string& description);
  // "250ms", "5s", "2m", "1h"; a bare number means milliseconds.
  std::chrono::milliseconds Duration(const std::string& name, std::chrono::milliseconds fallback,
                                     const std::string& description);
  // "512", "16KiB", "1MiB", "1GiB".
  std::uint64_t Bytes(const std::string& name, std::uint64_t fallback, const std::string& description);
  // One of `choices`.
  std::string OneOf(const std::string& name, const std::string& fallback, const std::vector<std::string>& choices,
                    const std::string& description);

  // Records a problem found by the caller's own validation (e.g. a key that does not parse).
  void Reject(const std::string& name, const std::string& problem);

  // Throws ConfigError listing every problem; does nothing when there are none.
  void Finish() const;

  // A Markdown table of every variable read so far: name, default, meaning.
  std::string Describe() const;

 private:
  struct Variable {
    std::string name;
    std::string fallback;
    std::string description;
  };
  const char* Read(const std::string& name, std::string fallback, const std::string& description);

  Lookup lookup_;
  std::vector<Variable> variables_;
  std::vector<std::string> problems_;
};

}  // namespace microstore::config
