#include "platform/http/query.hpp"

#include <algorithm>

#include "platform/core/numbers.hpp"
#include "platform/core/text.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/uri.hpp"

namespace microstore::http {

std::vector<std::pair<std::string, std::string>> QueryParameters(const Request& request) {
  std::vector<std::pair<std::string, std::string>> parameters;
  std::string_view rest = request.QueryString();
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) {
      throw HttpError(400, "malformed-query", "the query string is not valid percent-encoding");
    }
    parameters.emplace_back(std::move(*name), std::move(*value));
  }
  return parameters;
}

std::vector<FieldError> UnknownQueryParameters(const Request& request) {
  std::vector<FieldError> errors;
  for (const auto& [name, value] : QueryParameters(request)) {
    errors.push_back({core::EchoedName(name), "is not a known query parameter"});
  }
  return errors;
}

void RefuseQueryParameters(const Request& request) {
  auto errors = UnknownQueryParameters(request);
  if (!errors.empty()) throw ValidationFailed(std::move(errors));
}

QueryReader::QueryReader(std::vector<std::pair<std::string, std::string>> parameters,
                         std::vector<std::string_view> known)
    : parameters_(std::move(parameters)), known_(std::move(known)) {
  std::vector<std::string_view> seen;
  for (const auto& [name, value] : parameters_) {
    if (std::find(known_.begin(), known_.end(), name) == known_.end()) {
      Fail(core::EchoedName(name), "is not a known query parameter");
    } else if (std::count(seen.begin(), seen.end(), name) == 1) {
      Fail(name, "is given more than once");
    }
    seen.push_back(name);
  }
}

QueryReader::QueryReader(const Request& request, std::vector<std::string_view> known)
    : QueryReader(QueryParameters(request), std::move(known)) {}

const std::string* QueryReader::Find(std::string_view name) const {
  const std::string* found = nullptr;
  for (const auto& [key, value] : parameters_) {
    if (key != name) continue;
    if (found != nullptr) return nullptr;  // repeated: refused in the constructor
    found = &value;
  }
  return std::find(known_.begin(), known_.end(), name) == known_.end() ? nullptr : found;
}

std::optional<std::int64_t> QueryReader::Integer(std::string_view name, std::int64_t min, std::int64_t max) {
  const std::string* text = Find(name);
  if (text == nullptr) return std::nullopt;
  auto value = core::ParseInteger(*text, min, max);
  if (!value) Fail(std::string(name), "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return value;
}

std::optional<bool> QueryReader::Flag(std::string_view name) {
  const std::string* text = Find(name);
  if (text == nullptr) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  Fail(std::string(name), "must be true or false");
  return std::nullopt;
}

std::size_t QueryReader::Limit(std::size_t max, std::size_t fallback) {
  const auto limit = Integer("limit", 1, static_cast<std::int64_t>(max));
  return limit ? static_cast<std::size_t>(*limit) : fallback;
}

void QueryReader::Fail(std::string field, std::string message) {
  errors_.push_back({std::move(field), std::move(message)});
}

void QueryReader::ThrowIfInvalid() const {
  if (!errors_.empty()) throw ValidationFailed(errors_);
}

std::variant<std::string, FieldError> IdempotencyKey(const Request& request) {
  static constexpr const char* kHeader = "Idempotency-Key";
  const auto key = request.Header(kHeader);
  if (!key) return FieldError{kHeader, "is required: a value unique to this attempt, sent again with its retries"};
  const bool printable = std::all_of(key->begin(), key->end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
  if (key->empty() || key->size() > kMaxIdempotencyKeyBytes || !printable) {
    return FieldError{kHeader, "must be 1 to " + std::to_string(kMaxIdempotencyKeyBytes) + " printable ASCII characters"};
  }
  return std::string(*key);
}

}  // namespace microstore::http
