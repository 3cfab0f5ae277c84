#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <latch>
#include <thread>

#include "platform/migrations/migration.hpp"
#include "platform/pg/pool.hpp"
#include "platform/testing/testing.hpp"

namespace {

namespace asio = boost::asio;
namespace pg = microstore::pg;
namespace mt = microstore::testing;
using microstore::migrations::ApplySummary;
using microstore::migrations::FromFiles;
using microstore::migrations::Migration;
using microstore::migrations::MigrationError;

asio::awaitable<ApplySummary> ApplyOnce(std::string url, std::vector<Migration> migrations,
                                        std::string component) {
  const auto executor = co_await asio::this_coro::executor;
  pg::Pool pool(executor, {.conninfo = url, .max_size = 2});
  co_return co_await microstore::migrations::Apply(pool, std::move(migrations), std::move(component));
}

ApplySummary ApplySync(const std::string& url, std::vector<Migration> migrations,
                       std::string component = microstore::migrations::kServiceComponent) {
  asio::io_context io;
  return mt::Run(io, ApplyOnce(url, std::move(migrations), std::move(component)));
}

std::string ApplyError(const std::string& url, std::vector<Migration> migrations,
                       std::string component = microstore::migrations::kServiceComponent) {
  try {
    ApplySync(url, std::move(migrations), std::move(component));
  } catch (const MigrationError& e) {
    return e.what();
  }
  ADD_FAILURE() << "Apply did not throw MigrationError";
  return "";
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::pair<std::string, std::string> kCreate{"0001_create_items.sql",
                                                  "CREATE TABLE items (id int PRIMARY KEY, note text);\n"
                                                  "CREATE INDEX items_note ON items (note);\n"};
const std::pair<std::string, std::string> kFill{"0002_fill_items.sql",
                                                "INSERT INTO items VALUES (1, 'one');\n"
                                                "INSERT INTO items VALUES (2, 'two; with ''semicolon''');\n"};
const std::pair<std::string, std::string> kAlter{
    "0003_add_price.sql", "ALTER TABLE items ADD COLUMN price int NOT NULL DEFAULT 0;"};

TEST(Migrations, AppliesMissingOnesInOrderAndRecordsThem) {
  mt::TempDatabase db;
  const ApplySummary first = ApplySync(db.url(), FromFiles({kFill, kCreate}));
  EXPECT_EQ(first.applied, 2);
  EXPECT_EQ(first.already_applied, 0);
  EXPECT_EQ(first.version, 2);
  EXPECT_EQ(mt::QueryValueSync(db.url(), "SELECT string_agg(note, '|' ORDER BY id) FROM items"),
            "one|two; with 'semicolon'");

  const ApplySummary second = ApplySync(db.url(), FromFiles({kCreate, kFill, kAlter}));
  EXPECT_EQ(second.applied, 1);
  EXPECT_EQ(second.already_applied, 2);
  EXPECT_EQ(second.version, 3);

  const ApplySummary third = ApplySync(db.url(), FromFiles({kCreate, kFill, kAlter}));
  EXPECT_EQ(third.applied, 0);
  EXPECT_EQ(third.already_applied, 3);
  EXPECT_EQ(mt::QueryValueSync(db.url(), "SELECT count(*) FROM items"), "2");
  EXPECT_EQ(mt::QueryValueSync(db.url(),
                               "SELECT string_agg(version || ':' || name, ',' ORDER BY version) "
                               "FROM schema_migrations"),
            "1:0001_create_items.sql,2:0002_fill_items.sql,3:0003_add_price.sql");
  EXPECT_EQ(mt::QueryValueSync(db.url(), "SELECT checksum FROM schema_migrations WHERE version = 2"),
            FromFiles({kFill})[0].checksum);
}

TEST(Migrations, ConcurrentStartersApplyEachMigrationOnce) {
  mt::TempDatabase db;
  // The sleep keeps the first starter inside its transaction while the second arrives.
  const auto migrations =
      FromFiles({kCreate,
                 {"0002_slow_fill.sql", "SELECT pg_sleep(0.3); INSERT INTO items VALUES (1, 'x');"},
                 {"0003_count.sql", "CREATE TABLE runs (n int); INSERT INTO runs VALUES (1);"}});
  std::latch start(2);
  ApplySummary summaries[2];
  std::exception_ptr errors[2];
  std::vector<std::thread> starters;
  for (int i = 0; i < 2; ++i) {
    starters.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        summaries[i] = ApplySync(db.url(), migrations);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  }
  for (auto& starter : starters) starter.join();

  for (const auto& error : errors) {
    if (!error) continue;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "a starter failed: " << e.what();
    }
  }
  EXPECT_EQ(summaries[0].applied + summaries[1].applied, 3);
  EXPECT_EQ(summaries[0].applied * summaries[1].applied, 0);
  EXPECT_EQ(summaries[0].version, 3);
  EXPECT_EQ(summaries[1].version, 3);
  EXPECT_EQ(mt::QueryValueSync(db.url(), "SELECT count(*) FROM items"), "1");
  EXPECT_EQ(mt::QueryValueSync(db.url(), "SELECT count(*) FROM runs"), "1");
  EXPECT_EQ(mt::QueryValueSync(db.url(), "SELECT count(*) FROM schema_migrations"), "3");
}

TEST(Migrations, RefusesAnEditedAppliedMigration) {
  mt::TempDatabase db;
  ApplySync(db.url(), FromFiles({kCreate, kFill}));
  auto edited = kFill;
  edited.second += "INSERT INTO items VALUES (3, 'sneaked in');\n";

  const std::string error = ApplyError(db.url(), FromFiles({kCreate, edited, kAlter}));
  EXPECT_TRUE(Contains(error, "0002_fill_items.sql")) << error;
  EXPECT_TRUE(Contains(error, FromFiles({kFill})[0].checksum)) << error;
  EXPECT_TRUE(Contains(error, FromFiles({edited})[0].checksum)) << error;
  // Nothing ran: neither the edit nor the new migration.
  EXPECT_EQ(mt::QueryValueSync(db.url(), "SELECT count(*) FROM items"), "2");
  EXPECT_EQ(mt::QueryValueSync(db.url(), "SELECT count(*) FROM schema_migrations"), "2");
}

TEST(Migrations, RefusesADatabaseWithAnUnknownNewerVersion) {
  mt::TempDatabase db;
  ApplySync(db.url(), FromFiles({kCreate, kFill, kAlter}));

  const std::string error = ApplyError(db.url(), FromFiles({kCreate, kFill}));
  EXPECT_TRUE(Contains(error, "0003_add_price.sql")) << error;
  EXPECT_TRUE(Contains(error, "newer")) << error;
}

TEST(Migrations, AFailingMigrationAppliesNothing) {
  mt::TempDatabase db;
  const std::string error = ApplyError(db.url(), FromFiles({kCreate,
                                                            {"0002_broken.sql",
                                                             "INSERT INTO items VALUES (1, 'ok');\n"
                                                             "INSERT INTO no_such_table VALUES (1);"}}));
  EXPECT_TRUE(Contains(error, "0002_broken.sql")) << error;
  EXPECT_TRUE(Contains(error, "no_such_table")) << error;
  EXPECT_EQ(mt::QueryValueSync(db.url(),
                               "SELECT count(*) FROM pg_tables WHERE tablename IN "
                               "('items', 'schema_migrations')"),
            "0");
}

TEST(Migrations, RefusesAMigrationThatEndsTheTransaction) {
  mt::TempDatabase db;
  const std::string error =
      ApplyError(db.url(), FromFiles({{"0001_commits.sql", "CREATE TABLE t (x int); COMMIT;"}}));
  EXPECT_TRUE(Contains(error, "0001_commits.sql")) << error;
}

// A platform module's migrations ("messaging") and the service's own share one database and one
// schema_migrations table, with overlapping version numbers.
const std::pair<std::string, std::string> kModuleFirst{"0001_module_queue.sql",
                                                       "CREATE TABLE module_queue (id int);"};
const std::pair<std::string, std::string> kModuleSecond{"0002_module_index.sql",
                                                        "CREATE INDEX module_queue_id ON module_queue (id);"};

TEST(Migrations, ComponentsWithTheSameVersionsCoexist) {
  mt::TempDatabase db;
  EXPECT_EQ(ApplySync(db.url(), FromFiles({kModuleFirst, kModuleSecond}), "module").applied, 2);
  const ApplySummary service = ApplySync(db.url(), FromFiles({kCreate, kFill}));
  EXPECT_EQ(service.applied, 2);
  EXPECT_EQ(service.already_applied, 0);
  EXPECT_EQ(service.version, 2);

  // Each component checks only its own rows: neither takes the other's versions for newer ones.
  EXPECT_EQ(ApplySync(db.url(), FromFiles({kModuleFirst, kModuleSecond}), "module").already_applied, 2);
  EXPECT_EQ(ApplySync(db.url(), FromFiles({kCreate, kFill, kAlter})).applied, 1);
  EXPECT_EQ(
      mt::QueryValueSync(db.url(),
                         "SELECT string_agg(component || ':' || version, ',' ORDER BY component, version) "
                         "FROM schema_migrations"),
      "module:1,module:2,service:1,service:2,service:3");

  // A component's own rules still hold: an edited module migration is refused, naming it.
  auto edited = kModuleFirst;
  edited.second += "-- edited\n";
  const std::string error = ApplyError(db.url(), FromFiles({edited, kModuleSecond}), "module");
  EXPECT_TRUE(Contains(error, "0001_module_queue.sql")) << error;
  EXPECT_TRUE(Contains(ApplyError(db.url(), FromFiles({kModuleFirst}), "module"), "newer"));
}

TEST(Migrations, UpgradesATableKeyedByVersionAlone) {
  mt::TempDatabase db;
  const Migration create = FromFiles({kCreate})[0];
  mt::ExecSync(db.url(),
               "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
               "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());"
               "CREATE TABLE items (id int PRIMARY KEY, note text);"
               "INSERT INTO schema_migrations (version, name, checksum) VALUES (1, '" +
                   create.name + "', '" + create.checksum + "')");

  const ApplySummary summary = ApplySync(db.url(), FromFiles({kCreate, kFill}));
  EXPECT_EQ(summary.already_applied, 1);
  EXPECT_EQ(summary.applied, 1);
  EXPECT_EQ(ApplySync(db.url(), FromFiles({kModuleFirst}), "module").applied, 1);
  EXPECT_EQ(
      mt::QueryValueSync(db.url(),
                         "SELECT string_agg(component || ':' || version, ',' ORDER BY component, version) "
                         "FROM schema_migrations"),
      "module:1,service:1,service:2");
  EXPECT_EQ(mt::QueryValueSync(db.url(),
                               "SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_constraint c, "
                               "unnest(c.conkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a "
                               "ON a.attrelid = 'schema_migrations'::regclass AND a.attnum = k.attnum "
                               "WHERE c.conrelid = 'schema_migrations'::regclass AND c.contype = 'p'"),
            "component,version");
}

TEST(Migrations, AnEditedMigrationInAnOldShapedTableIsStillRefused) {
  mt::TempDatabase db;
  mt::ExecSync(db.url(),
               "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
               "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());"
               "INSERT INTO schema_migrations (version, name, checksum) "
               "VALUES (1, '0001_create_items.sql', 'not-the-checksum')");
  EXPECT_TRUE(Contains(ApplyError(db.url(), FromFiles({kCreate})), "not-the-checksum"));
  // The module's migrations are not confused by the service's row.
  EXPECT_EQ(ApplySync(db.url(), FromFiles({kModuleFirst}), "module").applied, 1);
}

}  // namespace
