#include "platform/migrations/migration.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "platform/core/encoding.hpp"

namespace microstore::migrations {
namespace {

int ParseVersion(const std::string& name) {
  constexpr std::string_view kSuffix = ".sql";
  const auto invalid = [&](const std::string& why) {
    return MigrationError("migration file name \"" + name + "\" is invalid (" + why +
                          "): expected <version>_<description>.sql, e.g. 0001_create_orders.sql");
  };
  if (name.size() <= kSuffix.size() ||
      name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    throw invalid("no .sql extension");
  }
  const std::string_view stem(name.data(), name.size() - kSuffix.size());
  const auto underscore = stem.find('_');
  if (underscore == std::string_view::npos || underscore == 0) throw invalid("no leading version number");
  const std::string_view digits = stem.substr(0, underscore);
  const std::string_view description = stem.substr(underscore + 1);
  if (!std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    throw invalid("the version is not a decimal number");
  }
  if (description.empty()) throw invalid("no description after the version");
  if (!std::all_of(description.begin(), description.end(),
                   [](unsigned char c) { return std::isalnum(c) != 0 || c == '_' || c == '-'; })) {
    throw invalid("the description may hold only letters, digits, '_' and '-'");
  }
  int version = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (ec != std::errc() || end != digits.data() + digits.size()) throw invalid("the version is too large");
  if (version <= 0) throw invalid("versions start at 1");
  return version;
}

}  // namespace

std::vector<Migration> FromFiles(std::vector<std::pair<std::string, std::string>> files) {
  std::map<int, Migration> by_version;
  for (auto& [name, sql] : files) {
    const int version = ParseVersion(name);
    if (const auto existing = by_version.find(version); existing != by_version.end()) {
      throw MigrationError("migrations \"" + existing->second.name + "\" and \"" + name +
                           "\" share version " + std::to_string(version));
    }
    std::string checksum = core::Sha256Hex(sql);
    by_version.emplace(version, Migration{version, std::move(name), std::move(sql), std::move(checksum)});
  }
  std::vector<Migration> migrations;
  migrations.reserve(by_version.size());
  for (auto& [version, migration] : by_version) migrations.push_back(std::move(migration));
  return migrations;
}

std::vector<Migration> LoadDirectory(const std::filesystem::path& directory) {
  std::vector<std::pair<std::string, std::string>> files;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) == 0 ||
        !name.ends_with(".sql")) {
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    if (!in) throw MigrationError("cannot read migration file " + it->path().string());
    std::ostringstream contents;
    contents << in.rdbuf();
    files.emplace_back(name, contents.str());
  }
  if (ec)
    throw MigrationError("cannot read migrations directory " + directory.string() + ": " + ec.message());
  return FromFiles(std::move(files));
}

}  // namespace microstore::migrations
