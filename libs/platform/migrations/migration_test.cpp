#include "platform/migrations/migration.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"

namespace microstore::migrations {
namespace {

TEST(FromFiles, ParsesVersionsAndSortsThem) {
  const auto migrations = FromFiles({{"0010_add_index.sql", "CREATE INDEX i ON t (x);"},
                                     {"0001_create_orders.sql", "CREATE TABLE t (x int);"},
                                     {"2_fill-data.sql", ""}});
  ASSERT_EQ(migrations.size(), 3u);
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "0001_create_orders.sql");
  EXPECT_EQ(migrations[0].sql, "CREATE TABLE t (x int);");
  EXPECT_EQ(migrations[1].version, 2);
  EXPECT_EQ(migrations[2].version, 10);
  EXPECT_EQ(migrations[2].name, "0010_add_index.sql");
}

TEST(FromFiles, ChecksumIsSha256OfTheContents) {
  const auto migrations = FromFiles({{"0001_a.sql", "SELECT 1;"}});
  EXPECT_EQ(migrations[0].checksum, core::Sha256Hex("SELECT 1;"));
  EXPECT_EQ(migrations[0].checksum.size(), 64u);
  EXPECT_NE(FromFiles({{"0001_a.sql", "SELECT 1; "}})[0].checksum, migrations[0].checksum);
}

TEST(FromFiles, RejectsBadNames) {
  for (const char* name : {"create_orders.sql", "_create.sql", "0001.sql", "0001_.sql", "0001_create.txt",
                           "0001_create", "0001_create.sql.bak", "0000_zero.sql", "99999999999_big.sql",
                           "00a1_create.sql", "0001_has space.sql", "0001_sub/dir.sql", "-1_negative.sql"}) {
    try {
      FromFiles({{name, "SELECT 1;"}});
      ADD_FAILURE() << name << " was accepted";
    } catch (const MigrationError& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}

TEST(FromFiles, RejectsDuplicateVersions) {
  try {
    FromFiles({{"0001_a.sql", ""}, {"1_b.sql", ""}});
    FAIL() << "duplicate version accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("0001_a.sql"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("1_b.sql"), std::string::npos) << e.what();
  }
}

TEST(LoadDirectory, ReadsNumberedSqlFilesOnly) {
  const auto dir = std::filesystem::temp_directory_path() / ("migrations_" + core::NewUuid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "0002_second.sql") << "SELECT 2;";
  std::ofstream(dir / "0001_first.sql") << "SELECT 1;";
  std::ofstream(dir / "README.md") << "not a migration";
  std::ofstream(dir / "seed.sql") << "not numbered";
  const auto migrations = LoadDirectory(dir);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(migrations.size(), 2u);
  EXPECT_EQ(migrations[0].name, "0001_first.sql");
  EXPECT_EQ(migrations[0].sql, "SELECT 1;");
  EXPECT_EQ(migrations[1].version, 2);
}

TEST(LoadDirectory, MissingDirectoryThrows) {
  EXPECT_THROW(LoadDirectory("/nonexistent/microstore/migrations"), MigrationError);
}

}  // namespace
}  // namespace microstore::migrations
