#pragma once

#include <vector>

#include "platform/migrations/migration.hpp"

// The tables messaging keeps in every service database that uses it: `outbox` (events waiting for
// the relay, then kept a while as sent) and `inbox` (ids of events this service has handled).
// They form the migration component "messaging", versioned apart from the service's own schema;
// runtime::Service applies them before the service's migrations when its spec says
// `.messaging = true`.
namespace microstore::messaging {

inline constexpr const char* kMigrationsComponent = "messaging";

// 0001_messaging_outbox.sql, 0002_messaging_inbox.sql, … in version order.
const std::vector<migrations::Migration>& Migrations();

}  // namespace microstore::messaging
