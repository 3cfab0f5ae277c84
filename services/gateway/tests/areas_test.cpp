#include "gateway/domain/areas.hpp"

#include <gtest/gtest.h>

namespace microstore::gateway {
namespace {

TEST(ParseUpstreamUrl, AcceptsHostAndPort) {
  EXPECT_EQ(ParseUpstreamUrl("http://127.0.0.1:8081"), (UpstreamAddress{"127.0.0.1", 8081}));
  EXPECT_EQ(ParseUpstreamUrl("http://catalog-1.internal:9000/"),
            (UpstreamAddress{"catalog-1.internal", 9000}));
  EXPECT_EQ(ParseUpstreamUrl("http://identity"), (UpstreamAddress{"identity", 80}));
  EXPECT_EQ(ParseUpstreamUrl("http://[::1]:8080"), (UpstreamAddress{"::1", 8080}));
}

TEST(ParseUpstreamUrl, RefusesEverythingElse) {
  for (const char* url :
       {"", "http://", "https://host:1", "host:80", "http://host:0", "http://host:65536",
        "http://host:", "http://host:80/api", "http://host:80?x=1", "http://user@host:80", "http://ho st:80",
        "http://host:8o", "http://[::1", "http://[]:80", "http://[::1]x", "ftp://host"}) {
    EXPECT_FALSE(ParseUpstreamUrl(url).has_value()) << url;
  }
}

TEST(UpstreamAddress, LabelBracketsIpv6) {
  EXPECT_EQ((UpstreamAddress{"127.0.0.1", 80}).Label(), "127.0.0.1:80");
  EXPECT_EQ((UpstreamAddress{"::1", 8080}).Label(), "[::1]:8080");
}

TEST(AreaNames, AreValidatedAndMappedToVariables) {
  EXPECT_TRUE(IsValidAreaName("catalog"));
  EXPECT_TRUE(IsValidAreaName("order-history2"));
  EXPECT_FALSE(IsValidAreaName(""));
  EXPECT_FALSE(IsValidAreaName("Catalog"));
  EXPECT_FALSE(IsValidAreaName("2fa"));
  EXPECT_FALSE(IsValidAreaName("a_b"));
  EXPECT_FALSE(IsValidAreaName(std::string(33, 'a')));
  EXPECT_EQ(AreaUrlVariable("catalog"), "MICROSTORE_CATALOG_URL");
  EXPECT_EQ(AreaUrlVariable("order-history2"), "MICROSTORE_ORDER_HISTORY2_URL");
}

TEST(SplitList, TrimsAndDropsEmptyEntries) {
  EXPECT_EQ(SplitList(" identity , catalog,,"), (std::vector<std::string>{"identity", "catalog"}));
  EXPECT_TRUE(SplitList("").empty());
  EXPECT_TRUE(SplitList(" , ").empty());
}

TEST(UpstreamTarget, StripsTheAreaAndKeepsTheQueryRaw) {
  EXPECT_EQ(UpstreamTarget("products/42", ""), "/api/v1/products/42");
  EXPECT_EQ(UpstreamTarget("products", "q=red%20shoe&limit=5"), "/api/v1/products?q=red%20shoe&limit=5");
  EXPECT_EQ(UpstreamTarget("a%2Fb/c", ""), "/api/v1/a%2Fb/c");
}

}  // namespace
}  // namespace microstore::gateway
