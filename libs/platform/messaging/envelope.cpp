#include "platform/messaging/envelope.hpp"

#include "platform/core/ids.hpp"
#include "platform/core/text.hpp"
#include "platform/http/message.hpp"
#include "platform/wire/json_reader.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace microstore::messaging {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxTypeLength = 200;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsEventType(std::string_view text) {
  if (text.empty() || text.size() > kMaxTypeLength) return false;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_' && c != '.' && c != '-') return false;
  }
  return true;
}

int Digits(std::string_view text, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// YYYY-MM-DDTHH:MM:SS[.fraction]Z
bool IsUtcTimestamp(std::string_view text) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < kShape.size() + 1) return false;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? !IsDigit(text[i]) : text[i] != kShape[i]) return false;
  }
  std::size_t at = kShape.size();
  if (text[at] == '.') {
    const std::size_t start = ++at;
    while (at < text.size() && IsDigit(text[at])) ++at;
    if (at == start || at - start > 9) return false;
  }
  if (at + 1 != text.size() || text[at] != 'Z') return false;
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month) &&
         Digits(text, 11, 2) <= 23 && Digits(text, 14, 2) <= 59 && Digits(text, 17, 2) <= 60;
}

class Reader {
 public:
  explicit Reader(const Json& object, std::string prefix = "")
      : object_(object), prefix_(std::move(prefix)) {}

  const Json* Find(const char* name) const {
    const auto it = object_.find(name);
    return it == object_.end() ? nullptr : &*it;
  }

  std::string String(const char* name, bool required, bool non_empty) const {
    const Json* value = Find(name);
    if (value == nullptr) {
      if (required) Fail(name, "is missing");
      return "";
    }
    if (!value->is_string()) Fail(name, "must be a string");
    std::string text = value->get<std::string>();
    if (non_empty && text.empty()) Fail(name, "must not be empty");
    return text;
  }

  std::int64_t Integer(const char* name, std::int64_t min, std::int64_t max) const {
    const Json* value = Find(name);
    if (value == nullptr) Fail(name, "is missing");
    if (!value->is_number_integer()) Fail(name, "must be an integer");
    if (value->is_number_unsigned()) {
      const auto number = value->get<std::uint64_t>();
      if (number > static_cast<std::uint64_t>(max) || static_cast<std::int64_t>(number) < min) {
        Fail(name, "is out of range");
      }
      return static_cast<std::int64_t>(number);
    }
    const auto number = value->get<std::int64_t>();
    if (number < min || number > max) Fail(name, "is out of range");
    return number;
  }

  [[noreturn]] void Fail(const char* name, const std::string& why) const {
    throw EnvelopeError{"field \"" + prefix_ + name + "\" " + why};
  }

 private:
  const Json& object_;
  std::string prefix_;
};

Envelope Read(const Json& json) {
  if (!json.is_object()) throw EnvelopeError{"the envelope is not a JSON object"};
  const Reader r(json);
  Envelope event;
  event.id = r.String("id", true, true);
  if (!core::IsUuid(event.id)) r.Fail("id", "is not a UUID");
  event.type = r.String("type", true, true);
  if (!IsEventType(event.type)) r.Fail("type", "must be 1 to 200 letters, digits, '_', '.' or '-'");
  event.schema_version = static_cast<int>(r.Integer("schema_version", 1, std::numeric_limits<int>::max()));
  event.occurred_at = r.String("occurred_at", true, true);
  if (!IsUtcTimestamp(event.occurred_at)) {
    r.Fail("occurred_at", "is not an RFC 3339 UTC timestamp (e.g. 2026-11-23T10:00:00.123Z)");
  }
  event.producer = r.String("producer", true, true);
  event.node_id = r.String("node_id", true, true);

  const Json* aggregate = r.Find("aggregate");
  if (aggregate == nullptr) r.Fail("aggregate", "is missing");
  if (!aggregate->is_object()) r.Fail("aggregate", "must be an object");
  const Reader a(*aggregate, "aggregate.");
  event.aggregate.type = a.String("type", true, true);
  event.aggregate.id = a.String("id", true, true);
  event.aggregate.version = a.Integer("version", 0, std::numeric_limits<std::int64_t>::max());
  event.aggregate.status = a.String("status", true, false);

  event.correlation_id = r.String("correlation_id", true, true);
  event.causation_id = r.String("causation_id", false, false);
  event.traceparent = r.String("traceparent", false, false);

  const Json* payload = r.Find("payload");
  if (payload == nullptr) r.Fail("payload", "is missing");
  if (!payload->is_object()) r.Fail("payload", "must be an object");
  event.payload = *payload;
  return event;
}

}  // namespace

std::string ToJson(const Envelope& event) {
  Json json = {
      {"id", event.id},
      {"type", event.type},
      {"schema_version", event.schema_version},
      {"occurred_at", event.occurred_at},
      {"producer", event.producer},
      {"node_id", event.node_id},
      {"aggregate",
       {{"type", event.aggregate.type},
        {"id", event.aggregate.id},
        {"version", event.aggregate.version},
        {"status", event.aggregate.status}}},
      {"correlation_id", event.correlation_id},
      {"causation_id", event.causation_id},
      {"traceparent", event.traceparent},
      {"payload", event.payload},
  };
  return json.dump();
}

std::variant<Envelope, EnvelopeError> ParseEnvelope(std::string_view text) {
  try {
    auto read = wire::ReadJson(text);
    if (auto* defect = std::get_if<wire::JsonDefect>(&read)) {
      return EnvelopeError{"the body is " + defect->Describe()};
    }
    return Read(std::get<Json>(read));
  } catch (EnvelopeError& e) {
    return std::move(e);
  } catch (const std::exception& e) {
    return EnvelopeError{std::string("the envelope cannot be read: ") + e.what()};
  }
}

Envelope MakeEvent(std::string type, int schema_version, AggregateRef aggregate, nlohmann::json payload,
                   EventContext context, std::string producer, std::string node_id, std::string id,
                   std::chrono::system_clock::time_point now) {
  Envelope event;
  event.correlation_id = context.correlation_id.empty() ? id : std::move(context.correlation_id);
  event.id = std::move(id);
  event.type = std::move(type);
  event.schema_version = schema_version;
  event.occurred_at = core::FormatRfc3339Utc(now);
  event.producer = std::move(producer);
  event.node_id = std::move(node_id);
  event.aggregate = std::move(aggregate);
  event.causation_id = std::move(context.causation_id);
  event.traceparent = std::move(context.traceparent);
  event.payload = payload.is_null() ? Json::object() : std::move(payload);
  return event;
}

EventContext CausedBy(const Envelope& cause) {
  return EventContext{cause.correlation_id, cause.id, cause.traceparent};
}

EventContext CausedBy(const http::Request& cause) {
  return EventContext{cause.correlation_id, cause.request_id, ""};
}

void Upcasters::Register(std::string type, int from_version, Upcaster upcaster) {
  if (from_version < 1) throw std::logic_error("upcaster of " + type + " from version < 1");
  Type& entry = types_[type];
  if (entry.current != 0 && from_version + 1 > entry.current) {
    throw std::logic_error("upcaster of " + type + " from version " + std::to_string(from_version) +
                           " goes past its current version " + std::to_string(entry.current));
  }
  if (!entry.steps.emplace(from_version, std::move(upcaster)).second) {
    throw std::logic_error("upcaster of " + type + " from version " + std::to_string(from_version) +
                           " registered twice");
  }
}

void Upcasters::SetCurrent(std::string type, int version) {
  Type& entry = types_[type];
  if (version < 1 || (!entry.steps.empty() && entry.steps.rbegin()->first + 1 > version)) {
    throw std::logic_error("current version " + std::to_string(version) + " of " + type +
                           " is below a registered upcaster's target");
  }
  entry.current = version;
}

int Upcasters::Current(const std::string& type) const {
  const auto it = types_.find(type);
  if (it == types_.end()) return 1;
  if (it->second.current != 0) return it->second.current;
  return it->second.steps.empty() ? 1 : it->second.steps.rbegin()->first + 1;
}

std::optional<UpcastError> Upcasters::Upcast(Envelope& event) const {
  const int current = Current(event.type);
  if (event.schema_version > current) {
    return UpcastError{UpcastError::Kind::kNewerVersion,
                       event.type + " version " + std::to_string(event.schema_version) +
                           " is newer than the version this consumer knows (" + std::to_string(current) +
                           "): upgrade the consumer, then replay"};
  }
  if (event.schema_version == current) return std::nullopt;
  const auto type = types_.find(event.type);
  if (event.schema_version < 1 || type == types_.end()) {
    return UpcastError{
        UpcastError::Kind::kMissingStep,
        event.type + " version " + std::to_string(event.schema_version) + " is not a known version"};
  }
  const auto& steps = type->second.steps;
  nlohmann::json payload = event.payload;
  for (int version = event.schema_version; version < current; ++version) {
    const auto step = steps.find(version);
    if (step == steps.end()) {
      return UpcastError{UpcastError::Kind::kMissingStep, "no upcaster of " + event.type + " from version " +
                                                              std::to_string(version) + " to " +
                                                              std::to_string(version + 1)};
    }
    try {
      payload = step->second(std::move(payload));
    } catch (const std::exception& e) {
      return UpcastError{
          UpcastError::Kind::kUpcasterFailed,
          "upcasting " + event.type + " from version " + std::to_string(version) + " failed: " + e.what()};
    }
    if (!payload.is_object()) {
      return UpcastError{UpcastError::Kind::kUpcasterFailed, "upcasting " + event.type + " from version " +
                                                                 std::to_string(version) + " gave no object"};
    }
  }
  event.payload = std::move(payload);
  event.schema_version = current;
  return std::nullopt;
}

}  // namespace microstore::messaging
