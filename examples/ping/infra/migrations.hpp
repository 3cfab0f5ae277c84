#pragma once

#include <vector>

#include "platform/migrations/migration.hpp"

namespace microstore::ping {

// The ping service's schema (migrations/, embedded by microstore_service()).
const std::vector<migrations::Migration>& Migrations();

}  // namespace microstore::ping
