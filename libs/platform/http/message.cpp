#include "platform/http/message.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cassert>

#include "platform/core/text.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/uri.hpp"
#include "platform/wire/json_reader.hpp"

namespace microstore::http {

std::string_view ToString(Method method) {
  switch (method) {
    case Method::kGet: return "GET";
    case Method::kHead: return "HEAD";
    case Method::kPost: return "POST";
    case Method::kPut: return "PUT";
    case Method::kPatch: return "PATCH";
    case Method::kDelete: return "DELETE";
    case Method::kOptions: return "OPTIONS";
    case Method::kOther: return "OTHER";
  }
  return "OTHER";
}

Method ParseMethod(std::string_view text) {
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch, Method::kDelete,
                   Method::kOptions}) {
    if (text == ToString(m)) return m;
  }
  return Method::kOther;
}

void Headers::Set(std::string name, std::string value) {
  for (auto& [key, existing] : entries_) {
    if (core::EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  entries_.emplace_back(std::move(name), std::move(value));
}

void Headers::Add(std::string name, std::string value) { entries_.emplace_back(std::move(name), std::move(value)); }

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const auto& [key, value] : entries_) {
    if (core::EqualsIgnoreCase(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view Request::Path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view Request::QueryString() const {
  std::string_view t = target;
  const auto q = t.find('?');
  return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
}

std::string_view Request::Param(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  assert(false && "the route has no such path parameter");
  return {};
}

std::optional<std::string> Request::Query(std::string_view name) const {
  std::string_view rest = QueryString();
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    const auto key = PercentDecode(pair.substr(0, eq), true);
    if (key && *key == name) {
      auto value = PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
      if (!value) throw HttpError(400, "malformed-query", "query parameter '" + *key + "' is not valid percent-encoding");
      return value;
    }
  }
  return std::nullopt;
}

nlohmann::json Request::Json() const {
  const auto type = headers.Get("Content-Type");
  if (!type || !IsJsonMediaType(*type)) {
    throw HttpError(415, "unsupported-media-type", "the body must be JSON (Content-Type: application/json)");
  }
  auto read = wire::ReadJson(body);
  if (auto* document = std::get_if<nlohmann::json>(&read)) return std::move(*document);
  auto& defect = std::get<wire::JsonDefect>(read);
  if (defect.ConcernsAValue()) throw ValidationFailed({{std::move(defect.field), std::move(defect.message)}});
  std::string detail = "the body is " + defect.Describe();
  std::vector<FieldError> errors;
  if (!defect.field.empty()) errors.push_back({std::move(defect.field), std::move(defect.message)});
  throw HttpError(400, "malformed-json", std::move(detail), std::move(errors));
}

const auth::Principal& Request::Caller() const {
  assert(principal.has_value() && "Caller() on a public route");
  return *principal;
}

Response Response::Json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Response Response::Empty(int status) {
  Response r;
  r.status = status;
  r.content_type.clear();
  return r;
}

}  // namespace microstore::http
