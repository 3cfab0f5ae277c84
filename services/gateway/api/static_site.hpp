#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "platform/http/message.hpp"

namespace microstore::gateway::api {

// The file `/<raw>` names, relative to the static directory ("assets/app.js"), or nullopt when
// it must be answered 404. `raw` is the request path after its first '/', still percent-encoded:
// split at '/' first and each segment decoded (http::PercentDecode) after, so that an encoded
// separator stays inside its segment, where StaticFileOf (domain/static_path.hpp) refuses it. A
// malformed escape is refused too.
std::optional<std::string> ResolveStaticPath(std::string_view raw);

// Serves the files of one directory (the storefront), reading them on a worker pool.
class StaticSite {
 public:
  StaticSite(std::string directory, boost::asio::any_io_executor workers);

  // The answer for `relative`, a path ResolveStaticPath accepted ("" for index.html): the file
  // with its content type and Cache-Control; index.html for a path without an extension that
  // names no file (a route of the single-page app); else 404 `file-not-found`. A file that lies
  // outside the directory once symbolic links are followed is not found either. HEAD gets the
  // headers without the body.
  boost::asio::awaitable<http::Response> Serve(const http::Request& request, std::string relative) const;

 private:
  std::string directory_;
  boost::asio::any_io_executor workers_;
};

}  // namespace microstore::gateway::api
