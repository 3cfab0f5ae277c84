#include "infra/schema.hpp"

#include "embedded_migrations.hpp"

namespace microstore::identity {

const std::vector<migrations::Migration>& Migrations() { return microstore_identity_migrations(); }

}  // namespace microstore::identity
