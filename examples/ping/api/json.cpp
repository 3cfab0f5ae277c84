#include "ping/api/json.hpp"

namespace microstore::ping {

nlohmann::json VisitsJson(const Visits& visits) { return {{"name", visits.name}, {"visits", visits.count}}; }

}  // namespace microstore::ping
