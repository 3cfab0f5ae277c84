#pragma once

#include <string>
#include <vector>

namespace microstore::order {

// One invalid part of a request: `field` is its JSON path ("items[2].quantity"), a query
// parameter or a header name.
struct FieldProblem {
  std::string field;
  std::string message;

  bool operator==(const FieldProblem&) const = default;
};
using Problems = std::vector<FieldProblem>;

}  // namespace microstore::order
