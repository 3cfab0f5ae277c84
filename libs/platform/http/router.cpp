#include "platform/http/router.hpp"

#include <stdexcept>

#include "platform/http/uri.hpp"

namespace microstore::http {

struct Router::Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> parameter;
  std::string parameter_name;
  std::unique_ptr<Node> tail;  // a `{name...}` segment: the rest of the path; always a leaf
  std::string tail_name;
  std::vector<const Route*> routes;  // one per method at the node where a pattern ends

  Node* Literal(std::string_view segment) const {
    for (const auto& [text, child] : literals) {
      if (text == segment) return child.get();
    }
    return nullptr;
  }
};

namespace {

// Splits "/a/b" into {"a","b"}; "/" into {}. False when the path does not start with '/'.
bool Segments(std::string_view path, std::vector<std::string_view>& out) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  while (!path.empty()) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
    // A trailing slash: an empty last segment, placed at the end of the path (not a null view),
    // so that a tail parameter's span from its first segment to the last one stays inside it.
    if (path.empty()) out.push_back(path);
  }
  return true;
}

bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool IsTail(std::string_view segment) { return IsParameter(segment) && segment.ends_with("...}") && segment.size() > 5; }

std::string_view ParameterName(std::string_view segment) {
  segment = segment.substr(1, segment.size() - 2);
  if (segment.ends_with("...")) segment.remove_suffix(3);
  return segment;
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::Add(Method method, std::string_view pattern, auth::Access access, Handler handler) {
  std::vector<std::string_view> segments;
  if (!Segments(pattern, segments)) throw std::logic_error("route pattern must start with '/': " + std::string(pattern));
  Node* node = root_.get();
  for (size_t index = 0; index < segments.size(); ++index) {
    const std::string_view segment = segments[index];
    if (IsTail(segment)) {
      const std::string name(ParameterName(segment));
      if (index + 1 != segments.size()) {
        throw std::logic_error("route " + std::string(pattern) + ": {" + name + "...} must be the last segment");
      }
      if (!node->tail) {
        node->tail = std::make_unique<Node>();
        node->tail_name = name;
      } else if (node->tail_name != name) {
        throw std::logic_error("route " + std::string(pattern) + " names parameter {" + name + "...} where another route has {" +
                               node->tail_name + "...}");
      }
      node = node->tail.get();
    } else if (IsParameter(segment)) {
      const std::string name(ParameterName(segment));
      if (!node->parameter) {
        node->parameter = std::make_unique<Node>();
        node->parameter_name = name;
      } else if (node->parameter_name != name) {
        throw std::logic_error("route " + std::string(pattern) + " names parameter {" + name + "} where another route has {" +
                               node->parameter_name + "}");
      }
      node = node->parameter.get();
    } else {
      if (segment.find_first_of("{}") != std::string_view::npos) {
        throw std::logic_error("malformed route segment '" + std::string(segment) + "' in " + std::string(pattern));
      }
      Node* next = node->Literal(segment);
      if (next == nullptr) {
        node->literals.emplace_back(std::string(segment), std::make_unique<Node>());
        next = node->literals.back().second.get();
      }
      node = next;
    }
  }
  for (const Route* existing : node->routes) {
    if (existing->method == method) {
      throw std::logic_error("route registered twice: " + std::string(ToString(method)) + " " + std::string(pattern));
    }
  }
  routes_.push_back(std::make_unique<Route>(Route{method, std::string(pattern), std::move(access), std::move(handler)}));
  node->routes.push_back(routes_.back().get());
}

Router::Match Router::Find(Method method, std::string_view path) const {
  Match match;
  std::vector<std::string_view> segments;
  if (!Segments(path, segments)) {
    match.kind = Match::Kind::kBadPath;
    return match;
  }
  // Depth-first: literal children before the parameter child, so the most specific route wins.
  std::vector<std::string_view> bound;
  std::string_view tail_value;
  const Node* end = nullptr;
  auto walk = [&](auto& self, const Node* node, size_t depth) -> bool {
    if (depth == segments.size()) {
      if (node->routes.empty()) return false;
      end = node;
      return true;
    }
    if (const Node* literal = node->Literal(segments[depth]); literal && self(self, literal, depth + 1)) return true;
    if (node->parameter && !segments[depth].empty()) {
      bound.push_back(segments[depth]);
      if (self(self, node->parameter.get(), depth + 1)) return true;
      bound.pop_back();
    }
    // The rest of the path, raw (not decoded: a %2F must not turn into a separator).
    if (node->tail && !node->tail->routes.empty() && !segments[depth].empty()) {
      const char* first = segments[depth].data();
      const char* last = segments.back().data() + segments.back().size();
      tail_value = std::string_view(first, static_cast<size_t>(last - first));
      end = node->tail.get();
      return true;
    }
    return false;
  };
  if (!walk(walk, root_.get(), 0)) return match;

  for (const Route* route : end->routes) {
    if (route->method == method) match.route = route;
    if (!match.allowed.empty()) match.allowed += ", ";
    match.allowed += ToString(route->method);
  }
  if (match.route == nullptr) {
    match.kind = Match::Kind::kMethodNotAllowed;
    return match;
  }
  // Parameter names come from the matched pattern, in order.
  std::vector<std::string_view> pattern_segments;
  Segments(match.route->pattern, pattern_segments);
  size_t next = 0;
  for (std::string_view segment : pattern_segments) {
    if (IsTail(segment)) {
      match.params.emplace_back(std::string(ParameterName(segment)), std::string(tail_value));
      continue;
    }
    if (!IsParameter(segment)) continue;
    auto decoded = PercentDecode(bound[next++], false);
    if (!decoded) {
      match.kind = Match::Kind::kBadPath;
      return match;
    }
    match.params.emplace_back(std::string(ParameterName(segment)), std::move(*decoded));
  }
  match.kind = Match::Kind::kFound;
  return match;
}

}  // namespace microstore::http
