#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "log/log.hpp"
#include "migrations/migration.hpp"
#include "pg/pool.hpp"

namespace microstore::migrations {
namespace {

// Any fixed number works as long as every service uses the same one ("ms-migra").
constexpr std::int64_t kLockKey = 0x6d732d6d69677261;

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version integer PRIMARY KEY, "
    "name text NOT NULL, "
    "checksum text NOT NULL, "
    "applied_at timestamptz NOT NULL DEFAULT now())";

}  // namespace

boost::asio::awaitable<ApplySummary> Apply(pg::Pool& pool, std::vector<Migration> migrations) {
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
  co_await transaction.Query(kCreateTable);
  const pg::Result recorded =
      co_await transaction.Query("SELECT version, name, checksum FROM schema_migrations");

  std::set<int> applied;
  for (int row = 0; row < recorded.Rows(); ++row) {
    const int version = recorded.Get<int>(row, 0);
    const auto name = recorded.Get<std::string>(row, 1);
    const auto checksum = recorded.Get<std::string>(row, 2);
    const auto known = by_version.find(version);
    if (known == by_version.end()) {
      throw MigrationError("the database has migration " + std::to_string(version) + " (" + name +
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
                {{"version", version}, {"name", migration->name}, {"newest_applied", newest_applied}});
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
    co_await transaction.Query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                               migration->version, migration->name, migration->checksum);
    log::Info("migration applied", {{"version", version}, {"name", migration->name}});
    ++summary.applied;
  }
  co_await transaction.Commit();

  // Every recorded version is known, and every known one is now applied.
  summary.version = by_version.empty() ? 0 : by_version.rbegin()->first;
  log::Info("schema up to date", {{"version", summary.version}, {"applied", summary.applied}});
  co_return summary;
}

}  // namespace microstore::migrations
