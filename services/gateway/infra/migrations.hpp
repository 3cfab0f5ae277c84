#pragma once

#include <vector>

#include "platform/migrations/migration.hpp"

namespace microstore::gateway {

// The gateway's schema (migrations/), for runtime::ServiceSpec::migrations.
const std::vector<migrations::Migration>& Migrations();

}  // namespace microstore::gateway
