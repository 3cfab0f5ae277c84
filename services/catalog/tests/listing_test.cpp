// GET /api/v1/products as api/json.cpp reads it: the query parameters (through
// http::QueryReader, with the domain's rules of domain/listing.hpp) and the opaque cursor.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "catalog/api/json.hpp"
#include "platform/core/encoding.hpp"

namespace microstore::catalog::api {
namespace {

using Parameters = std::vector<std::pair<std::string, std::string>>;

using Problems = core::FieldErrors;

ListRequest Parsed(const Parameters& parameters) {
  auto result = ReadListRequest(parameters);
  if (auto* problems = std::get_if<Problems>(&result)) {
    ADD_FAILURE() << problems->front().field << ": " << problems->front().message;
    return {};
  }
  return std::get<ListRequest>(result);
}

core::FieldError OnlyProblem(const Parameters& parameters) {
  auto result = ReadListRequest(parameters);
  if (!std::holds_alternative<Problems>(result)) {
    ADD_FAILURE() << "accepted";
    return {};
  }
  const auto& problems = std::get<Problems>(result);
  EXPECT_EQ(problems.size(), 1u);
  return problems.front();
}

constexpr const char* kId = "0b7d2f3e-52c4-4a8e-9d3f-2c1e5b7a9f10";

TEST(ReadListRequest, Defaults) {
  const ListRequest request = Parsed({});
  const ListQuery& query = request.query;
  EXPECT_TRUE(query.words.empty());
  EXPECT_EQ(query.sort, Sort::kNewest);
  EXPECT_EQ(request.limit, 20u);
  EXPECT_FALSE(query.min_price || query.max_price || query.tag || query.on_promotion || request.cursor);
}

TEST(ReadListRequest, ReadsEveryParameter) {
  const ListRequest request = Parsed({{"q", "Oak chair"},
                                  {"min_price", "100"},
                                  {"max_price", "5000"},
                                  {"tag", "Furniture"},
                                  {"on_promotion", "true"},
                                  {"sort", "price_desc"},
                                  {"limit", "100"},
                                  {"cursor", "abc"}});
  const ListQuery& query = request.query;
  EXPECT_EQ(query.words, (std::vector<std::string>{"oak", "chair"}));
  EXPECT_EQ(query.min_price, 100);
  EXPECT_EQ(query.max_price, 5000);
  EXPECT_EQ(query.tag, "furniture");
  EXPECT_EQ(query.on_promotion, true);
  EXPECT_EQ(query.sort, Sort::kPriceDesc);
  EXPECT_EQ(request.limit, 100u);
  EXPECT_EQ(request.cursor, "abc");
  EXPECT_EQ(Parsed({{"on_promotion", "false"}}).query.on_promotion, false);
  EXPECT_EQ(Parsed({{"min_price", "0"}, {"max_price", "0"}}).query.max_price, 0);
}

TEST(ReadListRequest, SearchDefaultsToRelevanceAndWordlessSearchIsNoSearch) {
  EXPECT_EQ(Parsed({{"q", "chair"}}).query.sort, Sort::kRelevance);
  const ListQuery wordless = Parsed({{"q", " '&! "}}).query;
  EXPECT_TRUE(wordless.words.empty());
  EXPECT_EQ(wordless.sort, Sort::kNewest);
  EXPECT_EQ(Parsed({{"q", "chair"}, {"sort", "name"}}).query.sort, Sort::kName);
}

TEST(ReadListRequest, RelevanceNeedsWords) {
  EXPECT_EQ(OnlyProblem({{"sort", "relevance"}}).field, "sort");
  EXPECT_EQ(OnlyProblem({{"sort", "relevance"}, {"q", "--"}}).field, "sort");
  EXPECT_EQ(Parsed({{"sort", "relevance"}, {"q", "x"}}).query.sort, Sort::kRelevance);
}

TEST(ReadListRequest, EverySortName) {
  for (const auto& [text, sort] : std::vector<std::pair<std::string, Sort>>{{"newest", Sort::kNewest},
                                                                            {"price_asc", Sort::kPriceAsc},
                                                                            {"price_desc", Sort::kPriceDesc},
                                                                            {"name", Sort::kName}}) {
    EXPECT_EQ(Parsed({{"sort", text}}).query.sort, sort);
    EXPECT_EQ(ToString(sort), text);
    EXPECT_EQ(ParseSort(text), sort);
  }
  EXPECT_EQ(OnlyProblem({{"sort", "cheapest"}}).message,
            "must be one of relevance, newest, price_asc, price_desc, name");
  EXPECT_EQ(OnlyProblem({{"sort", "NAME"}}).field, "sort");
}

TEST(ReadListRequest, BadValuesNameTheParameter) {
  const std::string price = "must be an integer from 0 to 1000000000000";
  for (const char* bad :
       {"abc", "-1", "-0", "+5", "1.5", "", " 1", "1000000000001", "99999999999999999999999"}) {
    EXPECT_EQ(OnlyProblem({{"min_price", bad}}).message, price) << bad;
    EXPECT_EQ(OnlyProblem({{"max_price", bad}}).field, "max_price") << bad;
  }
  const core::FieldError inverted = OnlyProblem({{"min_price", "500"}, {"max_price", "100"}});
  EXPECT_EQ(inverted.field, "min_price");
  EXPECT_EQ(inverted.message, "must not be greater than max_price");
  for (const char* bad : {"0", "101", "-1", "ten", ""})
    EXPECT_EQ(OnlyProblem({{"limit", bad}}).field, "limit") << bad;
  for (const char* bad : {"yes", "1", "TRUE", ""}) {
    EXPECT_EQ(OnlyProblem({{"on_promotion", bad}}).field, "on_promotion") << bad;
  }
  for (const std::string& bad :
       {std::string(), std::string("two words"), std::string("ёлка"), std::string(41, 'a')}) {
    EXPECT_EQ(OnlyProblem({{"tag", bad}}).field, "tag") << bad;
  }
  EXPECT_EQ(OnlyProblem({{"q", std::string(201, 'a')}}).message, "must be at most 200 characters");
  EXPECT_EQ(Parsed({{"q", std::string(100, 'a') + std::string(100, 'a')}}).query.words.size(), 1u);
  EXPECT_EQ(OnlyProblem({{"q", "bad \xFF"}}).message, "is not valid UTF-8");
  // A refused q is reported once, not again as a relevance sort without words.
  EXPECT_EQ(OnlyProblem({{"q", "bad \xFF"}, {"sort", "relevance"}}).field, "q");
}

TEST(ReadListRequest, RefusesUnknownAndRepeatedParameters) {
  // The platform's wording (http::QueryReader).
  EXPECT_EQ(OnlyProblem({{"min_prce", "1"}}).message, "is not a known query parameter");
  EXPECT_EQ(OnlyProblem({{"min_prce", "1"}}).field, "min_prce");
  EXPECT_EQ(OnlyProblem({{"tag", "a"}, {"tag", "b"}, {"tag", "c"}}).message, "is given more than once");
}

TEST(ReadListRequest, ReportsEveryProblemAtOnce) {
  auto result = ReadListRequest({{"limit", "0"}, {"sort", "x"}, {"min_price", "y"}, {"page", "2"}});
  ASSERT_TRUE(std::holds_alternative<Problems>(result));
  EXPECT_EQ(std::get<Problems>(result).size(), 4u);
}

TEST(Cursor, RoundTripsForEverySort) {
  const std::vector<std::pair<Sort, std::string>> keys = {{Sort::kNewest, "1767225600123456"},
                                                          {Sort::kPriceAsc, "649000"},
                                                          {Sort::kPriceDesc, "0"},
                                                          {Sort::kName, "дубовый стул 'quoted'"},
                                                          {Sort::kRelevance, "0.100000"}};
  for (const auto& [sort, key] : keys) {
    ListQuery query;
    query.words = {"oak"};
    query.sort = sort;
    const std::string token = EncodeCursor(query, {key, kId});
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_EQ(DecodeCursor(token, query), (CursorPosition{key, kId})) << ToString(sort);
  }
}

TEST(Cursor, BelongsToOneListingOnly) {
  ListQuery query;
  query.words = {"oak"};
  query.sort = Sort::kPriceAsc;
  query.tag = "furniture";
  query.min_price = 100;
  const std::string token = EncodeCursor(query, {"500", kId});
  ASSERT_TRUE(DecodeCursor(token, query));

  const auto refused = [&](auto change) {
    ListQuery other = query;
    change(other);
    return !DecodeCursor(token, other).has_value();
  };
  EXPECT_TRUE(refused([](ListQuery& q) { q.sort = Sort::kPriceDesc; }));
  EXPECT_TRUE(refused([](ListQuery& q) { q.words = {"oak", "chair"}; }));
  EXPECT_TRUE(refused([](ListQuery& q) { q.words.clear(); }));
  EXPECT_TRUE(refused([](ListQuery& q) { q.tag = "garden"; }));
  EXPECT_TRUE(refused([](ListQuery& q) { q.tag.reset(); }));
  EXPECT_TRUE(refused([](ListQuery& q) { q.min_price = 101; }));
  EXPECT_TRUE(refused([](ListQuery& q) { q.max_price = 100; }));
  EXPECT_TRUE(refused([](ListQuery& q) { q.on_promotion = false; }));
  // The page size may change between pages: it is no part of the listing.
  const auto listing = [](const char* limit) {
    return Parsed({{"q", "oak"}, {"sort", "price_asc"}, {"tag", "furniture"}, {"min_price", "100"}, {"limit", limit}});
  };
  EXPECT_EQ(DecodeCursor(EncodeCursor(listing("3").query, {"500", kId}), listing("5").query),
            (CursorPosition{"500", kId}));
}

TEST(Cursor, RefusesTamperedOrForeignTokens) {
  ListQuery query;
  query.sort = Sort::kPriceAsc;
  const std::string fingerprint = ListingFingerprint(query);
  const auto token = [](const nlohmann::json& cursor) { return core::Base64UrlEncode(cursor.dump()); };
  const nlohmann::json good = {{"s", "price_asc"}, {"k", "500"}, {"i", kId}, {"f", fingerprint}};
  ASSERT_TRUE(DecodeCursor(token(good), query));

  EXPECT_FALSE(DecodeCursor("", query));
  EXPECT_FALSE(DecodeCursor("not base64 !", query));
  EXPECT_FALSE(DecodeCursor(core::Base64UrlEncode("not json"), query));
  EXPECT_FALSE(DecodeCursor(core::Base64UrlEncode("[1,2]"), query));
  EXPECT_FALSE(DecodeCursor(std::string(3000, 'A'), query));
  const auto with = [&](const char* field, const nlohmann::json& value) {
    nlohmann::json cursor = good;
    cursor[field] = value;
    return token(cursor);
  };
  EXPECT_FALSE(DecodeCursor(with("k", "500; DROP TABLE products"), query));
  EXPECT_FALSE(DecodeCursor(with("k", "-5"), query));
  EXPECT_FALSE(DecodeCursor(with("k", "1e3"), query));
  EXPECT_FALSE(DecodeCursor(with("k", 500), query));
  EXPECT_FALSE(DecodeCursor(with("i", "not-a-uuid"), query));
  EXPECT_FALSE(DecodeCursor(with("i", "' OR 1=1 --"), query));
  EXPECT_FALSE(DecodeCursor(with("f", "0000000000000000"), query));
  EXPECT_FALSE(DecodeCursor(with("s", "newest"), query));
  EXPECT_FALSE(DecodeCursor(with("extra", 1), query));
  nlohmann::json missing = good;
  missing.erase("i");
  EXPECT_FALSE(DecodeCursor(token(missing), query));

  // Flipping any character of a valid token never yields another valid position.
  const std::string valid = token(good);
  for (std::size_t i = 0; i < valid.size(); ++i) {
    std::string tampered = valid;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    const auto decoded = DecodeCursor(tampered, query);
    if (decoded) {
      EXPECT_EQ(*decoded, (CursorPosition{"500", kId})) << i;  // same JSON, other padding bits
    }
  }
}

TEST(Cursor, KeysAreCheckedForTheirSort) {
  const auto accepts = [](Sort sort, const std::string& key) {
    ListQuery query;
    query.words = {"x"};
    query.sort = sort;
    const std::string token = core::Base64UrlEncode(nlohmann::json{
        {"s", ToString(sort)},
        {"k", key},
        {"i", kId},
        {"f", ListingFingerprint(query)}}.dump());
    return DecodeCursor(token, query).has_value();
  };
  EXPECT_TRUE(accepts(Sort::kNewest, "-1"));
  EXPECT_FALSE(accepts(Sort::kNewest, "9007199254740993"));
  EXPECT_FALSE(accepts(Sort::kNewest, "2026-01-01"));
  EXPECT_TRUE(accepts(Sort::kRelevance, "12.5"));
  EXPECT_TRUE(accepts(Sort::kRelevance, "0"));
  for (const char* bad : {"", ".5", "5.", "-1", "1e-7", "NaN", "Infinity", "0.1.2"}) {
    EXPECT_FALSE(accepts(Sort::kRelevance, bad)) << bad;
  }
  EXPECT_TRUE(accepts(Sort::kName, ""));
  EXPECT_FALSE(accepts(Sort::kName, std::string("nul\0", 4)));
  EXPECT_FALSE(accepts(Sort::kName, std::string(2000, 'a')));
  EXPECT_FALSE(accepts(Sort::kPriceAsc, "1000000000001"));
}

}  // namespace
}  // namespace microstore::catalog::api
