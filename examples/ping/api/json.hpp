#pragma once

#include <nlohmann/json.hpp>

#include "ping/domain/visits.hpp"

// The ping service's JSON: bodies out (a service with request bodies reads them here too, and
// the payloads of the events it consumes, with messaging::PayloadReader).
namespace microstore::ping::api {

// {"name", "visits"}
nlohmann::json VisitsJson(const Visits& visits);

}  // namespace microstore::ping::api
