#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>

#include "platform/log/log.hpp"
#include "platform/migrations/migration.hpp"
#include "platform/pg/pool.hpp"

namespace microstore::migrations {
namespace {

// Any fixed number works as long as every service uses the same one ("ms-migra").
constexpr std::int64_t kLockKey = 0x6d732d6d69677261;

// Creates the table, or upgrades one keyed by version alone (before components existed).
constexpr const char* kBootstrap = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  component text NOT NULL DEFAULT 'service',
  version integer NOT NULL,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (component, version));
DO $$
DECLARE
  single_key name;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute
                 WHERE attrelid = 'schema_migrations'::regclass AND attname = 'component' AND NOT attisdropped) THEN
    ALTER TABLE schema_migrations ADD COLUMN component text NOT NULL DEFAULT 'service';
  END IF;
  SELECT conname INTO single_key FROM pg_constraint
  WHERE conrelid = 'schema_migrations'::regclass AND contype = 'p' AND cardinality(conkey) = 1;
  IF single_key IS NOT NULL THEN
    EXECUTE format('ALTER TABLE schema_migrations DROP CONSTRAINT %I', single_key);
    ALTER TABLE schema_migrations ADD PRIMARY KEY (component, version);
  END IF;
END $$;
)sql";

}  // namespace

boost::asio::awaitable<ApplySummary> Apply(pg::Pool& pool, std::vector<Migration> migrations,
                                           std::string component) {
  if (component.empty()) throw std::invalid_argument("migrations::Apply: empty component name");
  std::map<int, const Migration*> by_version;
  for (const auto& migration : migrations) {
    if (!by_version.emplace(migration.version, &migration).second) {
      throw MigrationError("two migrations share version " + std::to_string(migration.version));
    }
  }

  ApplySummary summary;
  // READ COMMITTED: each statement after the lock sees what a previous holder committed.
  pg::Transaction transaction = co_await pool.Begin(pg::IsolationLevel::kReadCommitted);
  co_await transaction.Query("SELECT pg_advisory_xact_lock($1)", kLockKey);
  co_await transaction.ExecuteScript(kBootstrap);
  const pg::Result recorded = co_await transaction.Query(
      "SELECT version, name, checksum FROM schema_migrations WHERE component = $1", component);

  std::set<int> applied;
  for (int row = 0; row < recorded.Rows(); ++row) {
    const int version = recorded.Get<int>(row, 0);
    const auto name = recorded.Get<std::string>(row, 1);
    const auto checksum = recorded.Get<std::string>(row, 2);
    const auto known = by_version.find(version);
    if (known == by_version.end()) {
      throw MigrationError("the database has " + component + " migration " + std::to_string(version) + " (" +
                           name +
                           ") which this binary does not know: the schema is newer than this release. "
                           "Refusing to run; deploy a release that includes it.");
    }
    if (known->second->checksum != checksum) {
      throw MigrationError("migration " + known->second->name +
                           " was edited after it was applied: the database "
                           "recorded checksum " +
                           checksum + ", the file now has checksum " + known->second->checksum +
                           ". Restore the applied file and put the change in a new "
                           "migration.");
    }
    applied.insert(version);
  }
  summary.already_applied = static_cast<int>(applied.size());
  const int newest_applied = applied.empty() ? 0 : *applied.rbegin();

  for (const auto& [version, migration] : by_version) {
    if (applied.contains(version)) continue;
    if (version < newest_applied) {
      log::Warn("applying a migration older than the newest applied one",
                {{"component", component},
                 {"version", version},
                 {"name", migration->name},
                 {"newest_applied", newest_applied}});
    }
    try {
      co_await transaction.ExecuteScript(migration->sql);
    } catch (const pg::ConnectionLost&) {
      throw;
    } catch (const pg::TransactionRollback&) {
      throw;
    } catch (const pg::Error& e) {
      throw MigrationError("migration " + migration->name + " failed, nothing was applied: " + e.what());
    }
    if (transaction.connection().GetTransactionState() != pg::TransactionState::kInTransaction) {
      throw MigrationError("migration " + migration->name +
                           " ended the migration transaction: remove its BEGIN/COMMIT/ROLLBACK");
    }
    co_await transaction.Query(
        "INSERT INTO schema_migrations (component, version, name, checksum) VALUES ($1, $2, $3, $4)",
        component, migration->version, migration->name, migration->checksum);
    log::Info("migration applied",
              {{"component", component}, {"version", version}, {"name", migration->name}});
    ++summary.applied;
  }
  co_await transaction.Commit();

  // Every recorded version is known, and every known one is now applied.
  summary.version = by_version.empty() ? 0 : by_version.rbegin()->first;
  log::Info("schema up to date",
            {{"component", component}, {"version", summary.version}, {"applied", summary.applied}});
  co_return summary;
}

}  // namespace microstore::migrations
