#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "domain/validation.hpp"
#include "http/message.hpp"
#include "http/problem.hpp"

// Reading request input for the catalogue's handlers.
namespace microstore::catalog {

// The body as JSON, like Request::Json (415 without a JSON content type, 400 when malformed),
// except that invalid UTF-8 inside strings does not make the body malformed: those bytes become
// utf8::kInvalidMarker, so that validation answers 422 naming the field that held them.
nlohmann::json JsonBody(const http::Request& request);

// Every query parameter, percent-decoded, in order (repeats kept). 400 malformed-query for a bad
// escape.
std::vector<std::pair<std::string, std::string>> QueryParameters(const http::Request& request);

// 422 validation-failed listing every problem.
http::HttpError ValidationFailed(const Problems& problems);

}  // namespace microstore::catalog
