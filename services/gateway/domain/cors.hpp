#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

// Cross-origin requests from the storefront (when it is served from another origin than the API).
namespace microstore::gateway {

inline constexpr std::string_view kCorsAllowMethods = "GET, HEAD, POST, PUT, PATCH, DELETE";
inline constexpr std::string_view kCorsAllowHeaders =
    "Authorization, Content-Type, Idempotency-Key, If-Match, X-Request-Id, X-Correlation-Id";
inline constexpr std::string_view kCorsExposeHeaders =
    "Location, Retry-After, X-Request-Id, X-Correlation-Id";
inline constexpr std::string_view kCorsMaxAgeSeconds = "600";

// Which origins may call the API from a browser: none (the default), a list of exact origins, or
// any ("*").
class CorsPolicy {
 public:
  CorsPolicy() = default;  // CORS off: no CORS headers at all

  // From a comma list of origins ("https://shop.example, http://localhost:5173") or "*"; empty
  // text turns CORS off. An origin is scheme://host[:port] with scheme http or https and nothing
  // after the authority (no path, not even '/'); anything else is refused with the reason.
  static std::variant<CorsPolicy, std::string> Parse(std::string_view list);

  bool Enabled() const { return any_ || !origins_.empty(); }
  bool Allows(std::string_view origin) const;

 private:
  bool any_ = false;
  std::vector<std::string> origins_;
};

enum class CorsVerdict {
  kNone,              // no Origin header, or CORS is off: no CORS headers, handled as usual
  kAllowed,           // an allowed origin: handled as usual, CORS headers added to the answer
  kNotAllowed,        // an unlisted origin: handled as usual without CORS headers, so the browser
                      // withholds the answer from the page
  kPreflight,         // a preflight from an allowed origin: the gateway answers 204 itself
  kPreflightRefused,  // a preflight from an unlisted origin: 403 cors-origin-refused
};

// `is_preflight`: an OPTIONS request carrying Access-Control-Request-Method.
CorsVerdict DecideCors(const CorsPolicy& policy, std::optional<std::string_view> origin, bool is_preflight);

// The headers an answer carries for `verdict` (empty for the verdicts that add none).
std::vector<std::pair<std::string, std::string>> CorsHeaders(CorsVerdict verdict, std::string_view origin);

}  // namespace microstore::gateway
