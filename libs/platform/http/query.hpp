#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "platform/http/message.hpp"
#include "platform/http/problem.hpp"

namespace microstore::http {

// Every query parameter of `request`, percent-decoded ('+' is a space), in order, repeats kept:
// "?a=1&b&a=%32" gives {a,1}, {b,""}, {a,2}; empty pairs ("&&") are skipped. Throws HttpError 400
// malformed-query when a name or a value holds a bad escape. Handlers that validate every
// parameter (unknown and repeated ones included) read the query this way; Request::Query serves
// the ones that only look up a name.
std::vector<std::pair<std::string, std::string>> QueryParameters(const Request& request);

// For a route that takes no query parameters: one "is not a known query parameter" error per
// parameter given (the name echoed through core::EchoedName), none for an empty query.
std::vector<FieldError> UnknownQueryParameters(const Request& request);
// Throws 422 validation-failed with UnknownQueryParameters when there are any.
void RefuseQueryParameters(const Request& request);

// Page sizes of every keyset-paginated list (docs/api-conventions.md).
inline constexpr std::size_t kDefaultPageLimit = 20;
inline constexpr std::size_t kMaxPageLimit = 100;

// Reads the query of a route by the API conventions, collecting every problem instead of
// stopping at the first, so one answer names every bad parameter: a name the route does not
// know is "is not a known query parameter" (echoed through core::EchoedName), a name given
// twice "is given more than once" (and not read). Each reader below records its own error and
// answers nullopt; the route answers 422 with errors() when there are any.
class QueryReader {
 public:
  // `known`: every parameter the route reads, `limit` and `cursor` included when it pages.
  QueryReader(std::vector<std::pair<std::string, std::string>> parameters, std::vector<std::string_view> known);
  // QueryParameters(request) (which throws 400 for bad percent-encoding).
  QueryReader(const Request& request, std::vector<std::string_view> known);

  // The value of a known parameter given once, else nullptr.
  const std::string* Find(std::string_view name) const;
  // "must be an integer from <min> to <max>" (core::ParseInteger).
  std::optional<std::int64_t> Integer(std::string_view name, std::int64_t min, std::int64_t max);
  // "true" or "false"; else "must be true or false".
  std::optional<bool> Flag(std::string_view name);
  // `limit`: 1..max, `fallback` when absent or refused.
  std::size_t Limit(std::size_t max = kMaxPageLimit, std::size_t fallback = kDefaultPageLimit);
  // `cursor` decoded by `decode` (std::string_view → std::optional<T>); when it answers nullopt,
  // "is not a cursor of this listing; start again without it".
  template <typename Decode>
  auto Cursor(Decode decode) -> decltype(decode(std::string_view())) {
    const std::string* text = Find("cursor");
    if (text == nullptr) return std::nullopt;
    auto position = decode(std::string_view(*text));
    if (!position) Fail("cursor", "is not a cursor of this listing; start again without it");
    return position;
  }

  void Fail(std::string field, std::string message);
  const std::vector<FieldError>& errors() const { return errors_; }
  // Throws 422 validation-failed naming every error, when there is one.
  void ThrowIfInvalid() const;

 private:
  std::vector<std::pair<std::string, std::string>> parameters_;
  std::vector<std::string_view> known_;
  std::vector<FieldError> errors_;
};

// The request's Idempotency-Key header when it is 1 to kMaxIdempotencyKeyBytes printable ASCII
// characters; otherwise the error naming the header ("is required: …", "must be …").
inline constexpr std::size_t kMaxIdempotencyKeyBytes = 200;
std::variant<std::string, FieldError> IdempotencyKey(const Request& request);

}  // namespace microstore::http
