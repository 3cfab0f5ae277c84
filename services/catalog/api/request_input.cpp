#include "api/request_input.hpp"

#include "core/text.hpp"
#include "domain/utf8.hpp"

namespace microstore::catalog {

nlohmann::json JsonBody(const http::Request& request) {
  if (core::IsValidUtf8(request.body)) return request.Json();
  http::Request repaired;
  repaired.headers = request.headers;
  repaired.body = utf8::ReplaceInvalid(request.body);
  return repaired.Json();
}

}  // namespace microstore::catalog
