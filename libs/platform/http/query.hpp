#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/message.hpp"

namespace microstore::http {

// Every query parameter of `request`, percent-decoded ('+' is a space), in order, repeats kept:
// "?a=1&b&a=%32" gives {a,1}, {b,""}, {a,2}; empty pairs ("&&") are skipped. Throws HttpError 400
// malformed-query when a name or a value holds a bad escape. Handlers that validate every
// parameter (unknown and repeated ones included) read the query this way; Request::Query serves
// the ones that only look up a name.
std::vector<std::pair<std::string, std::string>> QueryParameters(const Request& request);

}  // namespace microstore::http
