#include "gateway/domain/cors.hpp"

#include <algorithm>

#include "gateway/domain/areas.hpp"

namespace microstore::gateway {
namespace {

bool IsOrigin(std::string_view origin) {
  std::string_view rest;
  if (origin.starts_with("http://")) {
    rest = origin.substr(7);
  } else if (origin.starts_with("https://")) {
    rest = origin.substr(8);
  } else {
    return false;
  }
  if (rest.empty()) return false;
  for (char c : rest) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '.' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::variant<CorsPolicy, std::string> CorsPolicy::Parse(std::string_view list) {
  CorsPolicy policy;
  for (auto& origin : SplitList(list)) {
    if (origin == "*") {
      policy.any_ = true;
    } else if (!IsOrigin(origin)) {
      return "'" + origin + "' is not an origin (scheme://host[:port], no path)";
    } else {
      policy.origins_.push_back(std::move(origin));
    }
  }
  if (policy.any_ && !policy.origins_.empty())
    return std::string("'*' cannot be combined with listed origins");
  return policy;
}

bool CorsPolicy::Allows(std::string_view origin) const {
  if (any_) return true;
  return std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

CorsVerdict DecideCors(const CorsPolicy& policy, std::optional<std::string_view> origin, bool is_preflight) {
  if (!policy.Enabled() || !origin) return CorsVerdict::kNone;
  const bool allowed = policy.Allows(*origin);
  if (is_preflight) return allowed ? CorsVerdict::kPreflight : CorsVerdict::kPreflightRefused;
  return allowed ? CorsVerdict::kAllowed : CorsVerdict::kNotAllowed;
}

std::vector<std::pair<std::string, std::string>> CorsHeaders(CorsVerdict verdict, std::string_view origin) {
  std::vector<std::pair<std::string, std::string>> headers;
  switch (verdict) {
    case CorsVerdict::kAllowed:
      headers.emplace_back("Access-Control-Allow-Origin", origin);
      headers.emplace_back("Vary", "Origin");
      headers.emplace_back("Access-Control-Expose-Headers", kCorsExposeHeaders);
      break;
    case CorsVerdict::kPreflight:
      headers.emplace_back("Access-Control-Allow-Origin", origin);
      headers.emplace_back("Vary", "Origin");
      headers.emplace_back("Access-Control-Allow-Methods", kCorsAllowMethods);
      headers.emplace_back("Access-Control-Allow-Headers", kCorsAllowHeaders);
      headers.emplace_back("Access-Control-Max-Age", kCorsMaxAgeSeconds);
      break;
    case CorsVerdict::kNotAllowed:
    case CorsVerdict::kPreflightRefused:
      // The answer differs by Origin all the same: caches must not hand it to an allowed one.
      headers.emplace_back("Vary", "Origin");
      break;
    case CorsVerdict::kNone:
      break;
  }
  return headers;
}

}  // namespace microstore::gateway
