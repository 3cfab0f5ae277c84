#include "platform/log/log.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cstdio>

namespace microstore::log {
namespace {

spdlog::level::level_enum ToSpd(Level level) {
  switch (level) {
    case Level::kTrace: return spdlog::level::trace;
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
    case Level::kOff: return spdlog::level::off;
  }
  return spdlog::level::info;
}

std::shared_ptr<spdlog::logger>& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    // Before Init (tests, early start-up errors): synchronous, to standard error, warnings only.
    auto l = std::make_shared<spdlog::logger>("microstore", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
    l->set_level(spdlog::level::warn);
    return l;
  }();
  return logger;
}

void AppendValue(std::string& out, const Field::Value& value) {
  if (const auto* s = std::get_if<std::string_view>(&value)) {
    out.push_back('"');
    AppendJsonEscaped(out, *s);
    out.push_back('"');
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *i);
    out.append(buf, end);
  } else if (const auto* d = std::get_if<double>(&value)) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    out.append(buf, end);
  } else {
    out.append(std::get<bool>(value) ? "true" : "false");
  }
}

std::string& ServiceField() {
  static std::string field = R"("service":"microstore")";
  return field;
}

}  // namespace

bool ParseLevel(std::string_view text, Level& level) {
  static constexpr std::pair<std::string_view, Level> kNames[] = {
      {"trace", Level::kTrace}, {"debug", Level::kDebug}, {"info", Level::kInfo},
      {"warn", Level::kWarn},   {"error", Level::kError}, {"off", Level::kOff}};
  for (const auto& [name, value] : kNames) {
    if (text == name) {
      level = value;
      return true;
    }
  }
  return false;
}

void Init(std::string service, Level level) {
  ServiceField() = R"("service":")";
  AppendJsonEscaped(ServiceField(), service);
  ServiceField().push_back('"');
  spdlog::init_thread_pool(8192, 1);
  auto logger = std::make_shared<spdlog::async_logger>(
      service, std::make_shared<spdlog::sinks::stdout_sink_mt>(), spdlog::thread_pool(),
      spdlog::async_overflow_policy::block);
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
  logger->set_level(ToSpd(level));
  logger->flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds(1));
  Logger() = std::move(logger);
}

void Shutdown() {
  Logger()->flush();
  spdlog::shutdown();
}

bool Enabled(Level level) { return Logger()->should_log(ToSpd(level)); }

void Write(Level level, std::string_view message, Fields fields) { Write(level, Context{}, message, fields); }

void Write(Level level, const Context& context, std::string_view message, Fields fields) {
  if (!Enabled(level)) return;
  std::string line;
  line.reserve(128 + message.size());
  line.append(ServiceField());
  line.append(R"(,"msg":")");
  AppendJsonEscaped(line, message);
  line.push_back('"');
  if (!context.request_id.empty()) {
    line.append(R"(,"request_id":")");
    AppendJsonEscaped(line, context.request_id);
    line.push_back('"');
  }
  if (!context.correlation_id.empty()) {
    line.append(R"(,"correlation_id":")");
    AppendJsonEscaped(line, context.correlation_id);
    line.push_back('"');
  }
  for (const Field& field : fields) {
    line.append(",\"");
    AppendJsonEscaped(line, field.key);
    line.append("\":");
    AppendValue(line, field.value);
  }
  Logger()->log(ToSpd(level), std::string_view(line));
}

std::string What(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

void Failure(std::string_view message, const std::exception_ptr& error) {
  if (error) Error(message, {{"error", What(error)}});
}

void AppendJsonEscaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : text) {
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[(c >> 4) & 0xf]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
}

}  // namespace microstore::log
