// Listing and full-text search against a real database: relevance, prefixes, stemming in English
// and Russian, hostile search text, filters, and keyset pagination in every sort.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "harness.hpp"

namespace microstore::catalog::testing {
namespace {

using nlohmann::json;

std::string Encode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
      out.push_back(c);
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::vector<std::string> Names(const json& items) {
  std::vector<std::string> names;
  for (const auto& item : items) names.push_back(item["name"]);
  return names;
}

class Search : public ::testing::Test {
 protected:
  json List(const std::string& query) {
    const Reply reply = server_.Get("/api/v1/products?" + query);
    EXPECT_EQ(reply.status, 200) << query << ": " << reply.text;
    return reply.body;
  }
  std::vector<std::string> Found(const std::string& q, const std::string& more = "") {
    return Names(List("q=" + Encode(q) + more)["items"]);
  }
  Reply Refused(const std::string& query) {
    const Reply reply = server_.Get("/api/v1/products?" + query);
    EXPECT_EQ(reply.status, 422) << query << ": " << reply.text;
    return reply;
  }

  // Walks every page of a listing, checking the page size and that no product comes twice.
  std::vector<json> Walk(const std::string& query, std::size_t limit) {
    std::vector<json> all;
    std::set<std::string> seen;
    std::string cursor;
    for (int page = 0; page < 1000; ++page) {
      const json body =
          List(query + "&limit=" + std::to_string(limit) + (cursor.empty() ? "" : "&cursor=" + cursor));
      const json& items = body["items"];
      for (const auto& item : items) {
        EXPECT_TRUE(seen.insert(item["id"].get<std::string>()).second)
            << "twice: " << item["name"] << " in " << query;
        all.push_back(item);
      }
      if (!body.contains("next_cursor")) {
        EXPECT_LE(items.size(), limit);
        return all;
      }
      EXPECT_EQ(items.size(), limit) << "a page before the last is full";
      cursor = body["next_cursor"].get<std::string>();
    }
    ADD_FAILURE() << "no last page";
    return all;
  }

  std::vector<std::string> Ids(const std::vector<json>& items) {
    std::vector<std::string> ids;
    for (const auto& item : items) ids.push_back(item["id"]);
    return ids;
  }

  // The ids of listed products matching `where`, as PostgreSQL orders them with `order` (an
  // ORDER BY list over products p): the expected listing, computed without any cursor.
  std::vector<std::string> SqlOrder(const std::string& order, const std::string& where = "true") {
    const std::string ids = server_.Sql("SELECT coalesce(json_agg(p.id ORDER BY " + order +
                                        "), '[]')::text FROM products p WHERE NOT p.archived AND " + where);
    return json::parse(ids).get<std::vector<std::string>>();
  }

  CatalogServer server_;
};

TEST_F(Search, ANameMatchRanksAboveADescriptionMatch) {
  server_.Create(ProductBody("D-1", "Pine table", 100, "Goes well with any chair."));
  server_.Create(ProductBody("N-1", "Oak chair", 100, "Solid and heavy."));
  server_.Create(ProductBody("X-1", "Floor lamp", 100, "Bright."));
  EXPECT_EQ(Found("chair"), (std::vector<std::string>{"Oak chair", "Pine table"}));
  EXPECT_EQ(Found("CHAIR", "&sort=relevance"), (std::vector<std::string>{"Oak chair", "Pine table"}));
  // Other sorts keep the same matches.
  EXPECT_EQ(Found("chair", "&sort=name"), (std::vector<std::string>{"Oak chair", "Pine table"}));
}

TEST_F(Search, WordsArePrefixesAndAllMustMatch) {
  server_.Create(ProductBody("P-1", "Oak chair"));
  server_.Create(ProductBody("P-2", "Pine chair"));
  server_.Create(ProductBody("P-3", "Charging cable"));
  server_.Create(ProductBody("P-4", "Oak table"));
  std::vector<std::string> cha = Found("cha", "&sort=name");
  EXPECT_EQ(cha, (std::vector<std::string>{"Charging cable", "Oak chair", "Pine chair"}));
  EXPECT_EQ(Found("oak chair"), (std::vector<std::string>{"Oak chair"}));
  EXPECT_EQ(Found("oa ch"), (std::vector<std::string>{"Oak chair"}));
  EXPECT_TRUE(Found("oak sofa").empty());
}

TEST_F(Search, EnglishStemming) {
  server_.Create(ProductBody("E-1", "Oak chair"));
  server_.Create(ProductBody("E-2", "Running shoes"));
  EXPECT_EQ(Found("chairs"), (std::vector<std::string>{"Oak chair"}));
  EXPECT_EQ(Found("run"), (std::vector<std::string>{"Running shoes"}));
  EXPECT_EQ(Found("shoe"), (std::vector<std::string>{"Running shoes"}));
}

TEST_F(Search, RussianStemmingAndPrefixes) {
  server_.Create(ProductBody("R-1", "Стулья для кухни", 100));
  server_.Create(ProductBody("R-2", "Дубовый обеденный стул", 100));
  server_.Create(ProductBody("R-3", "Кресло", 100, "Мягкое кресло к обеденным стульям"));
  server_.Create(ProductBody("R-4", "Сосновая полка", 100));
  const std::vector<std::string> chairs = Found("стул");
  ASSERT_EQ(chairs.size(), 3u);
  EXPECT_EQ(std::set<std::string>(chairs.begin(), chairs.begin() + 2),
            (std::set<std::string>{"Стулья для кухни", "Дубовый обеденный стул"}));
  EXPECT_EQ(chairs[2], "Кресло");  // only in the description
  EXPECT_EQ(Found("дуб"), (std::vector<std::string>{"Дубовый обеденный стул"}));
  EXPECT_EQ(Found("ДУБОВЫЙ"), (std::vector<std::string>{"Дубовый обеденный стул"}));
  EXPECT_EQ(Found("стулья"), Found("стул"));
  EXPECT_EQ(Found("обеденный стул", "&sort=name"),
            (std::vector<std::string>{"Дубовый обеденный стул", "Кресло"}));
}

TEST_F(Search, HostileSearchTextIsJustText) {
  server_.Create(ProductBody("H-1", "Drop table", 100, "A folding table for small products."));
  server_.Create(ProductBody("H-2", "Oak chair"));
  for (const std::string& q : std::vector<std::string>{
           "'; DROP TABLE products; --", "&|!():*", "chair:* | !oak", "\"quoted\" 'single'", "back\\slash\\",
           "'", "\\", "((((", "<->", "a & b | c", "%", "_", "$1", "null", "\xE2\x80\x94 \xC2\xAB\xC2\xBB",
           std::string(200, '*')}) {
    const Reply reply = server_.Get("/api/v1/products?q=" + Encode(q));
    EXPECT_EQ(reply.status, 200) << q << ": " << reply.text;
  }
  EXPECT_EQ(Found("'; DROP TABLE products; --"), (std::vector<std::string>{"Drop table"}));
  EXPECT_EQ(server_.Sql("SELECT count(*) FROM products"), "2");
  EXPECT_EQ(Found("chair:* | !oak"), (std::vector<std::string>{"Oak chair"}));
  // Nothing but punctuation is no search at all: everything, newest first.
  EXPECT_EQ(Names(List("q=" + Encode("&|!():*"))["items"]),
            (std::vector<std::string>{"Oak chair", "Drop table"}));
  // The limits of q are checked before anything runs.
  EXPECT_EQ(Refused("q=" + std::string(201, 'a')).body["errors"][0]["field"], "q");
  EXPECT_EQ(Refused("q=%FF").body["errors"][0]["message"], "is not valid UTF-8");
}

TEST_F(Search, Filters) {
  json body = ProductBody("F-1", "Cheap promoted", 1000);
  body["on_promotion"] = true;
  body["tags"] = {"garden"};
  server_.Create(body);
  body = ProductBody("F-2", "Middle garden", 5000);
  body["tags"] = {"garden", "tools"};
  server_.Create(body);
  body = ProductBody("F-3", "Expensive promoted", 9000);
  body["on_promotion"] = true;
  body["tags"] = {"tools"};
  server_.Create(body);

  const auto names = [&](const std::string& query) {
    auto found = Names(List(query + "&sort=price_asc")["items"]);
    return found;
  };
  using Expected = std::vector<std::string>;
  EXPECT_EQ(names("min_price=1000&max_price=5000"), (Expected{"Cheap promoted", "Middle garden"}));
  EXPECT_EQ(names("min_price=1001"), (Expected{"Middle garden", "Expensive promoted"}));
  EXPECT_EQ(names("max_price=999"), Expected{});
  EXPECT_EQ(names("min_price=5000&max_price=5000"), (Expected{"Middle garden"}));
  EXPECT_EQ(names("tag=garden"), (Expected{"Cheap promoted", "Middle garden"}));
  EXPECT_EQ(names("tag=GARDEN"), (Expected{"Cheap promoted", "Middle garden"}));
  EXPECT_EQ(names("tag=none"), Expected{});
  EXPECT_EQ(names("on_promotion=true"), (Expected{"Cheap promoted", "Expensive promoted"}));
  EXPECT_EQ(names("on_promotion=false"), (Expected{"Middle garden"}));
  EXPECT_EQ(names("on_promotion=true&tag=tools&max_price=9000&q=promoted"), (Expected{"Expensive promoted"}));
}

TEST_F(Search, BadQueryValuesAre422NamingTheParameter) {
  const auto field = [&](const std::string& query) {
    const Reply reply = Refused(query);
    EXPECT_EQ(reply.body["type"], "/problems/validation-failed") << query;
    return reply.body["errors"][0]["field"].get<std::string>();
  };
  EXPECT_EQ(field("min_price=abc"), "min_price");
  EXPECT_EQ(field("max_price=-5"), "max_price");
  EXPECT_EQ(field("min_price=10&max_price=5"), "min_price");
  EXPECT_EQ(field("sort=cheapest"), "sort");
  EXPECT_EQ(field("sort=relevance"), "sort");
  EXPECT_EQ(field("limit=0"), "limit");
  EXPECT_EQ(field("limit=101"), "limit");
  EXPECT_EQ(field("on_promotion=yes"), "on_promotion");
  EXPECT_EQ(field("tag=a%20b"), "tag");
  EXPECT_EQ(field("colour=red"), "colour");
  EXPECT_EQ(Refused("limit=0&sort=x&min_price=y").body["errors"].size(), 3u);
  EXPECT_EQ(server_.Get("/api/v1/products?q=%zz").status, 400);
}

TEST_F(Search, ArchivedProductsAreNeverListed) {
  const json kept = server_.Create(ProductBody("A-1", "Kept chair"));
  const json gone = server_.Create(ProductBody("A-2", "Archived chair"));
  ASSERT_EQ(
      server_.AdminPost("/api/v1/products/" + gone["id"].get<std::string>() + "/archive", json::object())
          .status,
      200);
  for (const char* query : {"", "q=chair", "sort=name", "sort=price_asc", "sort=price_desc", "tag=test"}) {
    EXPECT_EQ(Names(List(query)["items"]), (std::vector<std::string>{"Kept chair"})) << query;
  }
}

class Pagination : public Search {
 protected:
  void SetUp() override {
    // Ties on every key: repeated prices, names differing only in case, equal ranks.
    const std::vector<std::string> names = {"apple chair", "Apple chair", "Birch chair",
                                            "birch chair", "Cedar chair", "oak chair",
                                            "Oak chair",   "Zebra chair", "ant chair"};
    for (int i = 0; i < 37; ++i) {
      json body = ProductBody("PG-" + std::to_string(i), names[static_cast<std::size_t>(i) % names.size()],
                              (i % 5) * 1000, i % 4 == 0 ? "A chair for the chair lover." : "");
      body["on_promotion"] = i % 3 == 0;
      body["tags"] = {i % 2 == 0 ? "even" : "odd"};
      ids_.push_back(server_.Create(body)["id"]);
    }
    // Archived rows must not show up nor disturb the pages.
    for (int i = 0; i < 3; ++i) {
      server_.AdminPost("/api/v1/products/" + ids_[static_cast<std::size_t>(i) * 7] + "/archive",
                        json::object());
      archived_.insert(ids_[static_cast<std::size_t>(i) * 7]);
    }
  }

  std::vector<std::string> ids_;
  std::set<std::string> archived_;
};

TEST_F(Pagination, EverySortWalksEveryProductOnceInOrder) {
  struct Case {
    std::string query;
    std::string sql_order;
    std::string where = "true";
  };
  const std::string rank =
      "round(ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', p.search, product_search_query(ARRAY['chair']))::numeric, 6)";
  const std::vector<Case> cases = {
      {"sort=newest", "p.created_at DESC, p.id DESC"},
      {"", "p.created_at DESC, p.id DESC"},
      {"sort=price_asc", "p.price_minor, p.id"},
      {"sort=price_desc", "p.price_minor DESC, p.id DESC"},
      {"sort=name", "lower(p.name) COLLATE \"C\", p.id"},
      {"q=chair", rank + " DESC, p.id", "p.search @@ product_search_query(ARRAY['chair'])"},
      {"q=chair&sort=price_desc", "p.price_minor DESC, p.id DESC",
       "p.search @@ product_search_query(ARRAY['chair'])"},
      {"sort=price_asc&tag=even&on_promotion=true", "p.price_minor, p.id",
       "'even' = ANY(p.tags) AND p.on_promotion"},
      {"sort=name&min_price=1000&max_price=3000", "lower(p.name) COLLATE \"C\", p.id",
       "p.price_minor BETWEEN 1000 AND 3000"},
  };
  for (const Case& c : cases) {
    const std::vector<std::string> expected = SqlOrder(c.sql_order, c.where);
    ASSERT_FALSE(expected.empty()) << c.query;
    for (const std::size_t limit : {1u, 4u, 7u, 100u}) {
      const std::vector<json> walked = Walk(c.query, limit);
      EXPECT_EQ(Ids(walked), expected) << c.query << " limit " << limit;
      for (const auto& item : walked) EXPECT_FALSE(archived_.count(item["id"])) << c.query;
    }
  }
}

TEST_F(Pagination, OrdersAreTheDocumentedOnes) {
  // Independent of SQL: check each sort's order from the items themselves.
  const auto check = [&](const std::string& query,
                         const std::function<bool(const json&, const json&)>& before) {
    const std::vector<json> items = Walk(query, 6);
    EXPECT_EQ(items.size(), 34u) << query;
    for (std::size_t i = 1; i < items.size(); ++i) {
      EXPECT_TRUE(before(items[i - 1], items[i]))
          << query << " at " << i << ": " << items[i - 1] << " then " << items[i];
    }
  };
  const auto lower = [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  };
  check("sort=price_asc", [](const json& a, const json& b) {
    return std::make_pair(a["price_minor"].get<std::int64_t>(), a["id"].get<std::string>()) <
           std::make_pair(b["price_minor"].get<std::int64_t>(), b["id"].get<std::string>());
  });
  check("sort=price_desc", [](const json& a, const json& b) {
    return std::make_pair(a["price_minor"].get<std::int64_t>(), a["id"].get<std::string>()) >
           std::make_pair(b["price_minor"].get<std::int64_t>(), b["id"].get<std::string>());
  });
  check("sort=name", [&](const json& a, const json& b) {
    return std::make_pair(lower(a["name"]), a["id"].get<std::string>()) <
           std::make_pair(lower(b["name"]), b["id"].get<std::string>());
  });
  check("sort=newest", [](const json& a, const json& b) {
    return a["created_at"].get<std::string>() >= b["created_at"].get<std::string>();
  });
  // Relevance: products whose description repeats the word rank first; ties by id.
  const std::vector<json> ranked = Walk("q=chair", 5);
  ASSERT_EQ(ranked.size(), 34u);
  bool in_described = true;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const bool described = !ranked[i]["description"].get<std::string>().empty();
    if (!described) in_described = false;
    EXPECT_TRUE(described == in_described)
        << "a product with the word also in its description ranks first: " << i;
  }
}

TEST_F(Pagination, NewProductsDoNotDisturbAWalkInProgress) {
  const json first = List("sort=price_asc&limit=10");
  ASSERT_TRUE(first.contains("next_cursor"));
  server_.Create(ProductBody("LATE-1", "Late cheap chair", 0));  // sorts before the cursor
  std::vector<std::string> rest;
  std::string cursor = first["next_cursor"];
  while (!cursor.empty()) {
    const json page = List("sort=price_asc&limit=10&cursor=" + cursor);
    for (const auto& item : page["items"]) rest.push_back(item["name"]);
    cursor = page.value("next_cursor", "");
  }
  EXPECT_EQ(first["items"].size() + rest.size(), 34u);
  EXPECT_EQ(std::count(rest.begin(), rest.end(), "Late cheap chair"), 0);
}

TEST_F(Pagination, ACursorOnlyContinuesItsOwnListing) {
  const std::string cursor = List("sort=price_asc&limit=3")["next_cursor"];
  EXPECT_EQ(server_.Get("/api/v1/products?sort=price_asc&limit=3&cursor=" + cursor).status, 200);
  EXPECT_EQ(server_.Get("/api/v1/products?sort=price_asc&limit=10&cursor=" + cursor).status, 200);
  for (const std::string& query :
       std::vector<std::string>{"sort=price_desc", "sort=price_asc&tag=even", "sort=price_asc&q=chair",
                                "sort=price_asc&min_price=1", "sort=price_asc&on_promotion=false", ""}) {
    const Reply reply = Refused(query + "&cursor=" + cursor);
    EXPECT_EQ(reply.body["type"], "/problems/invalid-cursor") << query;
  }
  const std::string search_cursor = List("q=chair&limit=3")["next_cursor"];
  EXPECT_EQ(Refused("q=oak&cursor=" + search_cursor).body["type"], "/problems/invalid-cursor");
  EXPECT_EQ(server_.Get("/api/v1/products?q=CHAIR&cursor=" + search_cursor).status, 200);
  for (const std::string& garbage :
       std::vector<std::string>{"x", "", "AAAA", "eyJzIjoibmFtZSJ9", std::string(3000, 'a')}) {
    EXPECT_EQ(Refused("cursor=" + garbage).body["type"], "/problems/invalid-cursor") << garbage;
  }
}

}  // namespace
}  // namespace microstore::catalog::testing
