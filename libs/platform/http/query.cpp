#include "http/query.hpp"

#include "core/text.hpp"
#include "http/problem.hpp"
#include "http/uri.hpp"

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
    errors.push_back({core::TruncateUtf8(name, 100), "is not a known query parameter"});
  }
  return errors;
}

void RefuseQueryParameters(const Request& request) {
  auto errors = UnknownQueryParameters(request);
  if (!errors.empty()) throw ValidationFailed(std::move(errors));
}

}  // namespace microstore::http
