#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/core/ids.hpp"
#include "platform/messaging/envelope.hpp"

// What every part of the stock domain shares: the events it drafts and the problems it reports.
namespace microstore::stock {

// Events of the stock service: producer "stock" (exchange microstore.stock), schema_version 1.
inline constexpr const char* kProducer = "stock";

// An event decided by the domain; the caller gives it an id, a time and a context (AppendDrafts).
using messaging::EventDraft;

// One invalid field of a request: `field` is its name or JSON path, `message` what is wrong.
struct FieldProblem {
  std::string field;
  std::string message;

  bool operator==(const FieldProblem&) const = default;
};
using Problems = std::vector<FieldProblem>;

// Ids are compared in canonical form everywhere. (The stock name is kept for the unit tests.)

}  // namespace microstore::stock
