#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/auth/roles.hpp"
#include "platform/log/log.hpp"

// The request and response a handler sees: plain values, no sockets and no Beast types, so
// handlers and their tests stay cheap to compile and need no network.
namespace microstore::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
std::string_view ToString(Method method);
Method ParseMethod(std::string_view text);

// Header names compare case-insensitively; values keep their bytes.
class Headers {
 public:
  void Set(std::string name, std::string value);
  void Add(std::string name, std::string value);
  std::optional<std::string_view> Get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

struct Request {
  Method method = Method::kGet;
  std::string target;  // as received: path and query
  Headers headers;
  std::string body;

  // Filled by the server before the handler runs.
  std::vector<std::pair<std::string, std::string>> path_params;  // percent-decoded
  std::string request_id;
  std::string correlation_id;
  std::optional<auth::Principal> principal;  // set when the route needs a token
  std::string remote_address;

  std::string_view Path() const;
  std::string_view QueryString() const;
  // A path parameter of the matched route, e.g. Param("id") for "/orders/{id}".
  std::string_view Param(std::string_view name) const;
  // The first value of a query parameter, percent-decoded.
  std::optional<std::string> Query(std::string_view name) const;
  std::optional<std::string_view> Header(std::string_view name) const { return headers.Get(name); }
  // The body parsed as JSON by wire::ReadJson. Throws HttpError 415 unless Content-Type is JSON;
  // 422 validation-failed naming the field for a repeated field name, a number out of range or
  // invalid UTF-8; 400 malformed-json (with the position, and the field when inside one) for
  // anything that is not JSON or nests deeper than 64 levels. Never a json exception.
  nlohmann::json Json() const;
  // The authenticated caller; only on routes that require a token.
  const auth::Principal& Caller() const;

  log::Context LogContext() const { return {request_id, correlation_id}; }
};

struct Response {
  int status = 200;
  Headers headers;
  std::string content_type = "application/json";
  std::string body;

  static Response Json(int status, const nlohmann::json& body);
  static Response Text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response Empty(int status);
};

}  // namespace microstore::http
