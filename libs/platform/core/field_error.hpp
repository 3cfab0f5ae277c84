#pragma once

#include <string>
#include <vector>

namespace microstore::core {

// One invalid field of a request body, query or header: `field` is its JSON path in the API's
// notation ("items[2].quantity", "limit", "Idempotency-Key"), `message` what is wrong with it,
// phrased to follow the name ("is required", "must be an integer from 1 to 100"). Every layer
// that judges input answers with these; HTTP renders them as a problem's `errors`.
struct FieldError {
  std::string field;
  std::string message;

  bool operator==(const FieldError&) const = default;
};

using FieldErrors = std::vector<FieldError>;

}  // namespace microstore::core
