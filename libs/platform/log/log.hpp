#pragma once

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

// Structured logging: one JSON object per line on standard output, e.g.
//   {"ts":"2026-11-23T10:00:00.123Z","level":"info","service":"order","msg":"listening","port":8080}
// Fields are typed so that numbers stay numbers for whoever queries the logs.
namespace microstore::log {

enum class Level { kTrace, kDebug, kInfo, kWarn, kError, kOff };

// Parses "trace", "debug", "info", "warn", "error", "off"; false when the text is none of them.
bool ParseLevel(std::string_view text, Level& level);

struct Field {
  using Value = std::variant<std::string_view, std::int64_t, double, bool>;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  template <typename Int>
    requires std::is_integral_v<Int>
  Field(std::string_view k, Int v) : key(k), value(static_cast<std::int64_t>(v)) {}

  std::string_view key;
  Value value;
};
using Fields = std::initializer_list<Field>;

// Identifies the request or event a line belongs to. Every line written on behalf of a request
// carries its correlation id, so one grep follows a request through every service it touches.
struct Context {
  std::string_view request_id;
  std::string_view correlation_id;
};

// Call once at start-up, before other threads log. Writes go through a background thread so a
// slow terminal or pipe never stalls the event loop.
void Init(std::string service, Level level);
// Flushes and stops the background writer (at exit).
void Shutdown();
bool Enabled(Level level);

void Write(Level level, std::string_view message, Fields fields = {});
void Write(Level level, const Context& context, std::string_view message, Fields fields = {});

inline void Debug(std::string_view m, Fields f = {}) { Write(Level::kDebug, m, f); }
inline void Info(std::string_view m, Fields f = {}) { Write(Level::kInfo, m, f); }
inline void Warn(std::string_view m, Fields f = {}) { Write(Level::kWarn, m, f); }
inline void Error(std::string_view m, Fields f = {}) { Write(Level::kError, m, f); }
inline void Info(const Context& c, std::string_view m, Fields f = {}) { Write(Level::kInfo, c, m, f); }
inline void Warn(const Context& c, std::string_view m, Fields f = {}) { Write(Level::kWarn, c, m, f); }
inline void Error(const Context& c, std::string_view m, Fields f = {}) { Write(Level::kError, c, m, f); }

// The message of the exception `error` holds ("unknown exception" for a non-std one).
std::string What(const std::exception_ptr& error);

// Logs `error` (when set) as an error line with its message.
void Failure(std::string_view message, const std::exception_ptr& error);

// A co_spawn completion handler for background tasks: `co_spawn(ex, Task(), log::OnFailure{"relay"})`.
// Plain `detached` would drop the exception a task ends with; this logs it.
struct OnFailure {
  std::string_view task;
  void operator()(const std::exception_ptr& error) const { Failure(task, error); }
};

// Appends `text` to `out` as the inside of a JSON string (quotes not included).
void AppendJsonEscaped(std::string& out, std::string_view text);

}  // namespace microstore::log
