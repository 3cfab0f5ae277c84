#include "platform/http/pagination.hpp"

#include <gtest/gtest.h>

#include <string>

namespace microstore::http {
namespace {

struct Row {
  std::string name;
  int position = 0;
};

std::vector<Row> Rows(int count) {
  std::vector<Row> rows;
  for (int i = 1; i <= count; ++i) rows.push_back({"row-" + std::to_string(i), i});
  return rows;
}

nlohmann::json Page(const std::vector<Row>& rows, std::size_t limit) {
  return PageBody(
      rows, limit,
      [](const Row& row) {
        return nlohmann::json{{"name", row.name}};
      },
      [](const Row& row) { return "after-" + std::to_string(row.position); });
}

TEST(PageBody, AnExtraRowMeansANextPageAfterTheLastItemShown) {
  EXPECT_EQ(Page(Rows(4), 3), nlohmann::json::parse(R"({"items":[{"name":"row-1"},{"name":"row-2"},
                                                      {"name":"row-3"}],"next_cursor":"after-3"})"));
}

TEST(PageBody, TheLastPageHasNoCursor) {
  EXPECT_EQ(Page(Rows(3), 3), nlohmann::json::parse(R"({"items":[{"name":"row-1"},{"name":"row-2"},
                                                      {"name":"row-3"}]})"));
  EXPECT_EQ(Page(Rows(1), 20), nlohmann::json::parse(R"({"items":[{"name":"row-1"}]})"));
  EXPECT_EQ(Page(Rows(0), 20), nlohmann::json::parse(R"({"items":[]})"));
}

TEST(PageBody, ALimitOfOne) {
  EXPECT_EQ(Page(Rows(2), 1),
            nlohmann::json::parse(R"({"items":[{"name":"row-1"}],"next_cursor":"after-1"})"));
}

}  // namespace
}  // namespace microstore::http
