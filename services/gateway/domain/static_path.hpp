#pragma once

#include <optional>
#include <string>
#include <string_view>

// Which file of the static directory (the storefront) a request names. Pure: the I/O layer opens
// the file and still checks that it lies inside the directory after symbolic links.
namespace microstore::gateway {

inline constexpr std::string_view kIndexFile = "index.html";

// The file `/<raw>` names, relative to the static directory ("assets/app.js"), or nullopt when
// it must be answered 404. `raw` is the request path after its first '/', still percent-encoded.
// Refused: a malformed escape; an encoded separator (%2F, %5C) or NUL (%00); a raw or decoded NUL,
// backslash or control character; an absolute path; an empty segment ("a//b"); and any segment
// starting with '.' (".", "..", ".env": no traversal, no hidden files).
std::optional<std::string> ResolveStaticPath(std::string_view raw);

// True when the last segment has an extension ("app.js"); a path without one that names no file
// is a route of the single-page app and gets index.html.
bool HasExtension(std::string_view relative);

// By extension: html, js, mjs, css, json, svg, png, jpg, jpeg, webp, ico, txt, woff2, map;
// application/octet-stream for anything else.
std::string_view ContentTypeFor(std::string_view relative);

// index.html must be revalidated (it names the current assets); other files may be cached.
std::string_view CacheControlFor(std::string_view relative);

}  // namespace microstore::gateway
