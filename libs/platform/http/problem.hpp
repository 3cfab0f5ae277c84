#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "platform/core/field_error.hpp"
#include "platform/http/message.hpp"

// Errors as RFC 9457 problem details (`application/problem+json`):
//   {"type":"/problems/body-too-large","title":"Payload Too Large","status":413,
//    "detail":"the body exceeds 1048576 bytes","instance":"/api/v1/orders","request_id":"..."}
// `type` is a stable, documented code per kind of problem; `detail` says what to fix.
namespace microstore::http {

using core::FieldError;

// Thrown anywhere below a handler to answer with a problem; the server renders it.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, std::string detail)
      : std::runtime_error(detail), status_(status), code_(std::move(code)) {}
  // A validation failure naming each offending field: rendered as
  // "errors":[{"field":"email","message":"is not an e-mail address"},…]; `detail` summarises.
  HttpError(int status, std::string code, std::string detail, std::vector<FieldError> errors)
      : std::runtime_error(detail), status_(status), code_(std::move(code)), errors_(std::move(errors)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::vector<FieldError>& errors() const { return errors_; }

 private:
  int status_;
  std::string code_;
  std::vector<FieldError> errors_;
};

// 422 validation-failed listing every error, with the detail "1 field is invalid" or "<n> fields
// are invalid".
HttpError ValidationFailed(std::vector<FieldError> errors);

// The reason phrase for a status ("Not Found"); "Unknown" for codes we never send.
std::string_view ReasonPhrase(int status);

Response Problem(int status, std::string_view code, std::string_view detail, const Request* request = nullptr,
                 const std::vector<FieldError>& errors = {});

}  // namespace microstore::http
