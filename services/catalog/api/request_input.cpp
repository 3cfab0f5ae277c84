#include "api/request_input.hpp"

#include "core/text.hpp"
#include "domain/utf8.hpp"
#include "http/uri.hpp"

namespace microstore::catalog {

nlohmann::json JsonBody(const http::Request& request) {
  if (core::IsValidUtf8(request.body)) return request.Json();
  http::Request repaired;
  repaired.headers = request.headers;
  repaired.body = utf8::ReplaceInvalid(request.body);
  return repaired.Json();
}

std::vector<std::pair<std::string, std::string>> QueryParameters(const http::Request& request) {
  std::vector<std::pair<std::string, std::string>> parameters;
  std::string_view rest = request.QueryString();
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = http::PercentDecode(pair.substr(0, eq), true);
    auto value =
        http::PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) {
      throw http::HttpError(400, "malformed-query", "the query string is not valid percent-encoding");
    }
    parameters.emplace_back(std::move(*name), std::move(*value));
  }
  return parameters;
}

http::HttpError ValidationFailed(const Problems& problems) {
  std::vector<http::FieldError> errors;
  errors.reserve(problems.size());
  for (const auto& problem : problems) errors.push_back({problem.field, problem.message});
  const std::string detail =
      problems.size() == 1 ? "1 field is invalid" : std::to_string(problems.size()) + " fields are invalid";
  return http::HttpError(422, "validation-failed", detail, std::move(errors));
}

}  // namespace microstore::catalog
