#include "platform/http/problem.hpp"

#include <nlohmann/json.hpp>

namespace microstore::http {

HttpError ValidationFailed(std::vector<FieldError> errors) {
  std::string detail =
      errors.size() == 1 ? "1 field is invalid" : std::to_string(errors.size()) + " fields are invalid";
  return HttpError(422, "validation-failed", std::move(detail), std::move(errors));
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

Response Problem(int status, std::string_view code, std::string_view detail, const Request* request,
                 const std::vector<FieldError>& errors) {
  nlohmann::json body = {
      {"type", "/problems/" + std::string(code)},
      {"title", ReasonPhrase(status)},
      {"status", status},
      {"detail", detail},
  };
  if (!errors.empty()) {
    auto& list = body["errors"] = nlohmann::json::array();
    for (const auto& error : errors) list.push_back({{"field", error.field}, {"message", error.message}});
  }
  if (request != nullptr) {
    body["instance"] = request->Path();
    if (!request->request_id.empty()) body["request_id"] = request->request_id;
  }
  Response response = Response::Json(status, body);
  response.content_type = "application/problem+json";
  return response;
}

}  // namespace microstore::http
