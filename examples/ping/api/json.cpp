#include "ping/api/json.hpp"

namespace microstore::ping::api {

nlohmann::json VisitsJson(const Visits& visits) { return {{"name", visits.name}, {"visits", visits.count}}; }

}  // namespace microstore::ping::api
