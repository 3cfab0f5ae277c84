#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "domain/validation.hpp"
#include "http/message.hpp"
#include "http/problem.hpp"
#include "http/query.hpp"

// Reading request input for the catalogue's handlers.
namespace microstore::catalog {

// The body as JSON, like Request::Json (415 without a JSON content type, 400 when malformed),
// except that invalid UTF-8 inside strings does not make the body malformed: those bytes become
// utf8::kInvalidMarker, so that validation answers 422 naming the field that held them.
nlohmann::json JsonBody(const http::Request& request);

}  // namespace microstore::catalog
