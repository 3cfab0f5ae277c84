#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <string>

#include "platform/http/message.hpp"

namespace microstore::gateway {

// Serves the files of one directory (the storefront), reading them on a worker pool.
class StaticSite {
 public:
  StaticSite(std::string directory, boost::asio::any_io_executor workers);

  // The answer for `relative`, a path ResolveStaticPath accepted ("" for index.html): the file
  // with its content type and Cache-Control; index.html for a path without an extension that
  // names no file (a route of the single-page app); else 404 `file-not-found`. A file that lies
  // outside the directory once symbolic links are followed is not found either. HEAD gets the
  // headers without the body.
  boost::asio::awaitable<http::Response> Serve(const http::Request& request, std::string relative);

 private:
  std::string directory_;
  boost::asio::any_io_executor workers_;
};

}  // namespace microstore::gateway
