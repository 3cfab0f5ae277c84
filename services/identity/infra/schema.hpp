#pragma once

#include <vector>

#include "platform/migrations/migration.hpp"

namespace microstore::identity {

// The service's own migrations (migrations/*.sql, embedded at build time). The service also
// needs messaging::Migrations() for its outbox (ServiceSpec::messaging).
const std::vector<migrations::Migration>& Migrations();

}  // namespace microstore::identity
