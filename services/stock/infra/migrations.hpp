#pragma once

#include <vector>

#include "platform/migrations/migration.hpp"

namespace microstore::stock {

// The stock service's schema (migrations/*.sql, embedded at build time), for
// ServiceSpec::migrations and for tests that build a database.
const std::vector<migrations::Migration>& Migrations();

}  // namespace microstore::stock
