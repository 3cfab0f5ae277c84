#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messaging/envelope.hpp"

// What every part of the stock domain shares: the events it drafts and the problems it reports.
namespace microstore::stock {

// Events of the stock service: producer "stock" (exchange microstore.stock), schema_version 1.
inline constexpr const char* kProducer = "stock";
inline constexpr int kSchemaVersion = 1;

// An event decided by the domain; the caller gives it an id, a time and a context (MakeEvent).
struct EventDraft {
  std::string type;
  messaging::AggregateRef aggregate;
  nlohmann::json payload;

  bool operator==(const EventDraft&) const = default;
};

// One invalid field of a request: `field` is its name or JSON path, `message` what is wrong.
struct FieldProblem {
  std::string field;
  std::string message;

  bool operator==(const FieldProblem&) const = default;
};
using Problems = std::vector<FieldProblem>;

// The UUID in canonical lower-case form, or nullopt when `text` is not 8-4-4-4-12 hexadecimal
// digits (either case). Ids are compared in this form everywhere.
std::optional<std::string> CanonicalUuid(std::string_view text);

}  // namespace microstore::stock
