#include "infra/migrations.hpp"

#include "embedded_migrations.hpp"

namespace microstore::gateway {

const std::vector<migrations::Migration>& Migrations() { return microstore_gateway_migrations(); }

}  // namespace microstore::gateway
