#pragma once

#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// Schema migrations: numbered SQL files applied once each, in version order, by Apply. A service embeds its
// `migrations/NNNN_name.sql` files at build time (microstore_embed_migrations in cmake/Microstore.cmake), so
// the binary carries its schema.
//
// Rules for authors: never edit a migration that has been applied anywhere (Apply refuses to run
// when an applied file's checksum changed); add a new one. Each file runs inside the single
// migration transaction, so it must not contain BEGIN/COMMIT or statements that cannot run in a
// transaction (CREATE INDEX CONCURRENTLY).
namespace microstore::pg {
class Pool;
}

namespace microstore::migrations {

struct Migration {
  int version = 0;
  // The file name, e.g. "0001_create_orders.sql".
  std::string name;
  std::string sql;
  // Lower-case hex SHA-256 of `sql`, byte for byte.
  std::string checksum;
};

// A migration set that cannot be used: a bad file name, a duplicate version, an edited or unknown
// applied migration, a failing script. The message says which file and what to do; a service
// that gets one at start-up must stop.
class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Builds migrations from (file name, contents) pairs. A name is `<version>_<description>.sql`:
// version is the leading decimal number (leading zeros allowed, 1 to 2^31-1), description is
// non-empty letters, digits, '_' or '-'. Returns them sorted by version. Throws MigrationError on
// a bad name or two files with the same version.
std::vector<Migration> FromFiles(std::vector<std::pair<std::string, std::string>> files);

// Reads the `[0-9]*.sql` files of a directory (the same selection as the build-time embedding)
// and passes them to FromFiles. Throws MigrationError when the directory cannot be read.
std::vector<Migration> LoadDirectory(const std::filesystem::path& directory);

struct ApplySummary {
  int applied = 0;          // run by this call
  int already_applied = 0;  // found recorded in schema_migrations
  int version = 0;          // highest applied version afterwards (0: none)
};

// Brings the database up to date, atomically: in one transaction it takes a transaction-scoped
// advisory lock (so replicas starting together migrate once; the others wait, then find
// everything applied), creates `schema_migrations` if missing, checks every recorded migration
// against `migrations`, runs the missing ones in version order, records them, and commits. Each
// applied migration is logged.
//
// `component` names an independent sequence of versions in the same database: the service's own
// schema is "service"; platform modules bring their own (messaging::Migrations() is "messaging"),
// so their version numbers never collide with the service's. `schema_migrations` is keyed by
// (component, version); a table of the earlier shape (keyed by version alone) is upgraded in
// place, its rows becoming component "service". Only the rows of `component` are checked.
//
// Throws MigrationError, with nothing applied, when an applied migration's checksum differs from
// its file (it was edited), when the database records a version this binary does not know (its
// schema is newer), or when a migration fails (the server's message included): the service must
// stop. Transient pg::Error (ConnectionFailed, ConnectionLost, PoolTimeout, TransactionRollback)
// propagate as they are, with nothing applied: retry later.
//
// `pool` must outlive the returned operation (pg/pool.hpp).
inline constexpr const char* kServiceComponent = "service";
boost::asio::awaitable<ApplySummary> Apply(pg::Pool& pool, std::vector<Migration> migrations,
                                           std::string component = kServiceComponent);

}  // namespace microstore::migrations
