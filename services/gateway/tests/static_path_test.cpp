// Which file a request path names: the raw path decoded (api/static_site.hpp) and checked
// (domain/static_path.hpp), and what the file is served with.
#include "gateway/domain/static_path.hpp"

#include <gtest/gtest.h>

#include "gateway/api/static_site.hpp"

namespace microstore::gateway {
namespace {

using api::ResolveStaticPath;

TEST(ResolveStaticPath, PlainPaths) {
  EXPECT_EQ(ResolveStaticPath("index.html"), "index.html");
  EXPECT_EQ(ResolveStaticPath("assets/app.js"), "assets/app.js");
  EXPECT_EQ(ResolveStaticPath("orders/42"), "orders/42");
  EXPECT_EQ(ResolveStaticPath("img/red%20shoe.png"), "img/red shoe.png");
  EXPECT_EQ(ResolveStaticPath("a..b/c.d..e"), "a..b/c.d..e");  // dots inside names are fine
}

TEST(ResolveStaticPath, RefusesTraversal) {
  for (const char* raw : {"..", "../etc/passwd", "assets/../../etc/passwd", "assets/..", "./index.html", ".",
                          "%2e%2e/etc/passwd", "%2E%2E/secret", "assets/%2e%2e/%2e%2e/etc/passwd", ".%2e/x",
                          "%2e/index.html", ".env", "assets/.git/config"}) {
    EXPECT_EQ(ResolveStaticPath(raw), std::nullopt) << raw;
  }
}

TEST(ResolveStaticPath, RefusesEncodedSeparatorsAndBackslashes) {
  for (const char* raw : {"..%2fetc%2fpasswd", "assets%2F..%2F..%2Fetc", "a%2fb", "..%5c..%5cwindows",
                          "a%5Cb", "..\\..\\etc\\passwd", "assets\\app.js"}) {
    EXPECT_EQ(ResolveStaticPath(raw), std::nullopt) << raw;
  }
}

TEST(ResolveStaticPath, RefusesNulAndControlCharacters) {
  EXPECT_EQ(ResolveStaticPath("index.html%00.png"), std::nullopt);
  EXPECT_EQ(ResolveStaticPath(std::string("index.html\0.png", 15)), std::nullopt);
  EXPECT_EQ(ResolveStaticPath("a%0ab"), std::nullopt);
  EXPECT_EQ(ResolveStaticPath("a%7fb"), std::nullopt);
}

TEST(ResolveStaticPath, RefusesAbsoluteAndEmptySegments) {
  for (const char* raw : {"", "/etc/passwd", "%2fetc%2fpasswd", "assets//app.js", "assets/", "a/b/"}) {
    EXPECT_EQ(ResolveStaticPath(raw), std::nullopt) << raw;
  }
}

TEST(ResolveStaticPath, RefusesMalformedEscapes) {
  for (const char* raw : {"%", "%2", "a%zz", "%g0.js", "abc%"}) {
    EXPECT_EQ(ResolveStaticPath(raw), std::nullopt) << raw;
  }
}

TEST(StaticFileOf, JoinsDecodedSegmentsAndRefusesWhatResolveStaticPathRefuses) {
  EXPECT_EQ(StaticFileOf({"img", "red shoe.png"}), "img/red shoe.png");
  EXPECT_EQ(StaticFileOf({}), std::nullopt);
  for (const std::vector<std::string>& segments : std::vector<std::vector<std::string>>{
           {""}, {"a", ""}, {"..", "x"}, {".env"}, {"a/b"}, {"a\\b"}, {std::string("a\0b", 3)}, {"a\x7f"}}) {
    EXPECT_EQ(StaticFileOf(segments), std::nullopt) << ::testing::PrintToString(segments);
  }
}

TEST(HasExtension, LooksAtTheLastSegmentOnly) {
  EXPECT_TRUE(HasExtension("app.js"));
  EXPECT_TRUE(HasExtension("assets/app.min.js"));
  EXPECT_FALSE(HasExtension("orders/42"));
  EXPECT_FALSE(HasExtension("v1.2/orders"));
  EXPECT_FALSE(HasExtension("trailingdot."));
}

TEST(ContentTypeFor, KnownExtensions) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("app.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("site.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("data.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("logo.PNG"), "image/png");
  EXPECT_EQ(ContentTypeFor("photo.jpg"), "image/jpeg");
  EXPECT_EQ(ContentTypeFor("photo.jpeg"), "image/jpeg");
  EXPECT_EQ(ContentTypeFor("photo.webp"), "image/webp");
  EXPECT_EQ(ContentTypeFor("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeFor("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("app.js.map"), "application/json");
  EXPECT_EQ(ContentTypeFor("archive.tar.gz"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
}

TEST(CacheControlFor, IndexIsRevalidated) {
  EXPECT_EQ(CacheControlFor("index.html"), "no-cache");
  EXPECT_EQ(CacheControlFor("assets/app.js"), "public, max-age=3600");
}

}  // namespace
}  // namespace microstore::gateway
