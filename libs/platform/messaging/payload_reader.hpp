#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "platform/messaging/envelope.hpp"

namespace microstore::messaging {

// Reads the payload of a consumed event field by field. A field that is missing or not what the
// consumer needs throws PoisonEvent (messaging/inbox.hpp) naming the event type and the field,
// never its value: the inbox parks the event in the dead-letter queue instead of retrying it.
// Fields the consumer does not ask for are ignored (producers may add optional fields).
//
//   PayloadReader payload(event);
//   ChargeRequest request{.order_id = payload.Uuid("order_id"), .total_minor = payload.Integer("total_minor", 1)};
class PayloadReader {
 public:
  // Throws PoisonEvent when the payload is not an object.
  explicit PayloadReader(const Envelope& event);

  const nlohmann::json& Field(std::string_view name) const;
  // The field, or nullptr when absent (null counts as absent).
  const nlohmann::json* Optional(std::string_view name) const;
  std::string Text(std::string_view name) const;
  // A UUID, answered in canonical lower-case form.
  std::string Uuid(std::string_view name) const;
  // An integer within [min, max] (wire::Integer: no fractions, no overflow).
  std::int64_t Integer(std::string_view name, std::int64_t min = 0, std::int64_t max = INT64_MAX) const;
  bool Boolean(std::string_view name) const;
  // The envelope's aggregate version, at least 1.
  std::int64_t AggregateVersion() const;

  // Throws PoisonEvent: "<type> payload field <name> <problem>".
  [[noreturn]] void Poison(std::string_view name, std::string_view problem) const;

 private:
  const Envelope& event_;
};

}  // namespace microstore::messaging
