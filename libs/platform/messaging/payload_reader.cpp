#include "platform/messaging/payload_reader.hpp"

#include "platform/core/ids.hpp"
#include "platform/messaging/inbox.hpp"
#include "platform/wire/fields.hpp"

namespace microstore::messaging {

PayloadReader::PayloadReader(const Envelope& event) : event_(event) {
  if (!event.payload.is_object()) throw PoisonEvent(event.type + " payload is not a JSON object");
}

void PayloadReader::Poison(std::string_view name, std::string_view problem) const {
  throw PoisonEvent(event_.type + " payload field " + std::string(name) + " " + std::string(problem));
}

const nlohmann::json* PayloadReader::Optional(std::string_view name) const {
  const auto it = event_.payload.find(name);
  return it == event_.payload.end() || it->is_null() ? nullptr : &*it;
}

const nlohmann::json& PayloadReader::Field(std::string_view name) const {
  const nlohmann::json* value = Optional(name);
  if (value == nullptr) throw PoisonEvent(event_.type + " payload has no " + std::string(name));
  return *value;
}

std::string PayloadReader::Text(std::string_view name) const {
  const nlohmann::json& value = Field(name);
  if (!value.is_string()) Poison(name, "is not a string");
  return value.get<std::string>();
}

std::string PayloadReader::Uuid(std::string_view name) const {
  auto id = core::CanonicalUuid(Text(name));
  if (!id) Poison(name, "is not a UUID");
  return std::move(*id);
}

std::int64_t PayloadReader::Integer(std::string_view name, std::int64_t min, std::int64_t max) const {
  const auto value = wire::Integer(Field(name), min, max);
  if (!value) Poison(name, "is not an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return *value;
}

bool PayloadReader::Boolean(std::string_view name) const {
  const nlohmann::json& value = Field(name);
  if (!value.is_boolean()) Poison(name, "is not a boolean");
  return value.get<bool>();
}

std::int64_t PayloadReader::AggregateVersion() const {
  if (event_.aggregate.version < 1) throw PoisonEvent(event_.type + " has aggregate version below 1");
  return event_.aggregate.version;
}

}  // namespace microstore::messaging
