#include "platform/pg/params.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace microstore::pg {

void Params::AddText(std::string text) {
  if (text.find('\0') != std::string::npos) {
    throw std::invalid_argument("query parameter $" + std::to_string(values_.size() + 1) +
                                " contains a NUL byte, which PostgreSQL text cannot hold");
  }
  values_.emplace_back(std::move(text));
}

void Params::AddDouble(double value) {
  if (std::isnan(value)) return AddText("NaN");
  if (std::isinf(value)) return AddText(value > 0 ? "Infinity" : "-Infinity");
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) throw std::invalid_argument("cannot format a double query parameter");
  AddText(std::string(buffer, end));
}

std::string QuoteIdentifier(std::string_view name) {
  if (name.empty()) throw std::invalid_argument("an SQL identifier cannot be empty");
  if (name.find('\0') != std::string_view::npos) {
    throw std::invalid_argument("an SQL identifier cannot contain a NUL byte");
  }
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

}  // namespace microstore::pg
