#include "gateway/api/static_site.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

#include "gateway/domain/static_path.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/uri.hpp"
#include "platform/async/offload.hpp"

namespace microstore::gateway::api {
namespace {

namespace fs = std::filesystem;

// Larger files are not the storefront's; refusing them keeps a stray file from filling memory.
constexpr std::uintmax_t kMaxFileBytes = 32 * 1024 * 1024;

struct LoadedFile {
  bool found = false;
  std::string name;  // the file served, relative to the directory (index.html after a fallback)
  std::string content;
};

std::optional<std::string> ReadInside(const fs::path& base, const std::string& relative) {
  std::error_code error;
  const fs::path real = fs::canonical(base / relative, error);
  if (error) return std::nullopt;
  const std::string& inside = real.native();
  const std::string& root = base.native();
  if (inside.size() <= root.size() || inside.compare(0, root.size(), root) != 0 ||
      inside[root.size()] != '/') {
    return std::nullopt;  // a symbolic link out of the directory
  }
  if (!fs::is_regular_file(real, error) || error) return std::nullopt;
  const auto size = fs::file_size(real, error);
  if (error || size > kMaxFileBytes) return std::nullopt;
  std::ifstream in(real, std::ios::binary);
  if (!in) return std::nullopt;
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return content;
}

// Blocking: runs on a worker.
LoadedFile Load(const std::string& directory, const std::string& relative) {
  std::error_code error;
  const fs::path base = fs::canonical(directory, error);
  if (error) return {};
  const std::string wanted = relative.empty() ? std::string(kIndexFile) : relative;
  if (auto content = ReadInside(base, wanted)) return {true, wanted, std::move(*content)};
  if (!relative.empty() && !HasExtension(relative)) {
    if (auto content = ReadInside(base, std::string(kIndexFile))) {
      return {true, std::string(kIndexFile), std::move(*content)};
    }
  }
  return {};
}

}  // namespace

std::optional<std::string> ResolveStaticPath(std::string_view raw) {
  std::vector<std::string> segments;
  while (true) {
    const auto slash = raw.find('/');
    auto segment = http::PercentDecode(raw.substr(0, slash), false);
    if (!segment) return std::nullopt;
    segments.push_back(std::move(*segment));
    if (slash == std::string_view::npos) break;
    raw.remove_prefix(slash + 1);
  }
  return StaticFileOf(segments);
}

StaticSite::StaticSite(std::string directory, boost::asio::any_io_executor workers)
    : directory_(std::move(directory)), workers_(std::move(workers)) {}

boost::asio::awaitable<http::Response> StaticSite::Serve(const http::Request& request,
                                                         std::string relative) const {
  auto load = [directory = directory_, relative = std::move(relative)] { return Load(directory, relative); };
  LoadedFile file = co_await async::Offload(workers_, std::move(load));
  if (!file.found) co_return http::Problem(404, "file-not-found", "no such file", &request);
  http::Response response = http::Response::Text(
      200, request.method == http::Method::kHead ? std::string() : std::move(file.content),
      std::string(ContentTypeFor(file.name)));
  response.headers.Set("Cache-Control", std::string(CacheControlFor(file.name)));
  co_return response;
}

}  // namespace microstore::gateway::api
