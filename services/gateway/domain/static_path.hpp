#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Which file of the static directory (the storefront) a request names. Pure: the I/O layer opens
// the file and still checks that it lies inside the directory after symbolic links.
namespace microstore::gateway {

inline constexpr std::string_view kIndexFile = "index.html";

// The file a request path names, relative to the static directory ("assets/app.js"), or nullopt
// when it must be answered 404. `segments` are the path after its first '/', split at every '/'
// and only then percent-decoded (api/static_site.hpp, ResolveStaticPath), so a '/' inside a
// segment was an encoded separator. Refused: no segment; a segment holding a '/' (%2F), a
// backslash (a separator on some systems), NUL, another control character or DEL; an empty
// segment ("a//b", "a/", an absolute path); and any segment starting with '.' (".", "..",
// ".env": no traversal, no hidden files).
std::optional<std::string> StaticFileOf(const std::vector<std::string>& segments);

// True when the last segment has an extension ("app.js"); a path without one that names no file
// is a route of the single-page app and gets index.html.
bool HasExtension(std::string_view relative);

// By extension: html, js, mjs, css, json, svg, png, jpg, jpeg, webp, ico, txt, woff2, map;
// application/octet-stream for anything else.
std::string_view ContentTypeFor(std::string_view relative);

// index.html must be revalidated (it names the current assets); other files may be cached.
std::string_view CacheControlFor(std::string_view relative);

}  // namespace microstore::gateway
