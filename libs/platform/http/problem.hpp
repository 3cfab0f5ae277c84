#pragma once

#include <stdexcept>
#include <string>

#include "http/message.hpp"

// Errors as RFC 9457 problem details (`application/problem+json`):
//   {"type":"/problems/body-too-large","title":"Payload Too Large","status":413,
//    "detail":"the body exceeds 1048576 bytes","instance":"/api/v1/orders","request_id":"..."}
// `type` is a stable, documented code per kind of problem; `detail` says what to fix.
namespace microstore::http {

// Thrown anywhere below a handler to answer with a problem; the server renders it.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, std::string detail)
      : std::runtime_error(detail), status_(status), code_(std::move(code)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

// The reason phrase for a status ("Not Found"); "Unknown" for codes we never send.
std::string_view ReasonPhrase(int status);

Response Problem(int status, std::string_view code, std::string_view detail, const Request* request = nullptr);

}  // namespace microstore::http
