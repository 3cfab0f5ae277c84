#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/message.hpp"
#include "http/problem.hpp"

namespace microstore::http {

// Every query parameter of `request`, percent-decoded ('+' is a space), in order, repeats kept:
// "?a=1&b&a=%32" gives {a,1}, {b,""}, {a,2}; empty pairs ("&&") are skipped. Throws HttpError 400
// malformed-query when a name or a value holds a bad escape. Handlers that validate every
// parameter (unknown and repeated ones included) read the query this way; Request::Query serves
// the ones that only look up a name.
std::vector<std::pair<std::string, std::string>> QueryParameters(const Request& request);

// For a route that takes no query parameters: one "is not a known query parameter" error per
// parameter given (the name cut to 100 bytes at a character boundary), none for an empty query.
std::vector<FieldError> UnknownQueryParameters(const Request& request);
// Throws 422 validation-failed with UnknownQueryParameters when there are any.
void RefuseQueryParameters(const Request& request);

}  // namespace microstore::http
