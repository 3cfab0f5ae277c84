#pragma once

#include <vector>

#include "platform/migrations/migration.hpp"

namespace microstore::payment {

// The payment service's schema (migrations/*.sql, embedded at build time), for
// ServiceSpec::migrations and for tests that build a database.
const std::vector<migrations::Migration>& Migrations();

}  // namespace microstore::payment
