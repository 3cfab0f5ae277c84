#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Areas are the first segment after /api/v1 of a public path: `/api/v1/<area>/<rest>` goes to an
// instance of the service that owns <area> as `/api/v1/<rest>` (docs/api-conventions.md).
namespace microstore::gateway {

// One instance of an area's service.
struct UpstreamAddress {
  std::string host;  // a name or an IP address (IPv6 without brackets)
  std::uint16_t port = 80;

  // "host:port" ("[::1]:8080" for IPv6), for logs and metric labels.
  std::string Label() const;
  bool operator==(const UpstreamAddress&) const = default;
};

// An area and the instances of the service that owns it, as configured.
struct Area {
  std::string name;                        // "catalog"
  std::vector<UpstreamAddress> instances;  // at least one
};

// "http://host:port" or "http://host" (port 80), a trailing '/' tolerated; nullopt for anything
// else: another scheme, a path, a query, user info, an empty host or a port outside 1..65535.
std::optional<UpstreamAddress> ParseUpstreamUrl(std::string_view url);

// 1 to 32 of [a-z0-9-], starting with a letter: what may stand in a path and in a variable name.
bool IsValidAreaName(std::string_view area);

// The variable holding an area's instances: "MICROSTORE_<AREA>_URL", upper-cased, '-' → '_'.
std::string AreaUrlVariable(std::string_view area);

// The entries of a comma-separated list, blanks around them trimmed, empty entries dropped.
std::vector<std::string> SplitList(std::string_view text);

// The target an area's service receives for `/api/v1/<area>/<rest>?<query>`: `/api/v1/<rest>`,
// with `?<query>` when the query is not empty. `rest` is passed on raw (still percent-encoded).
std::string UpstreamTarget(std::string_view rest, std::string_view query);

}  // namespace microstore::gateway
