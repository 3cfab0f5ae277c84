#include "order/domain/requests.hpp"

#include <algorithm>
#include <charconv>

#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"

namespace microstore::order {
namespace {

using nlohmann::json;

// Echoed names are caller-chosen; keep them short.
constexpr std::size_t kMaxEchoedBytes = 100;

std::string Echoed(std::string_view name) {
  std::string text(name.substr(0, kMaxEchoedBytes));
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
  }
  return name.size() > kMaxEchoedBytes ? text + "..." : text;
}

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

void ParseLine(const json& line, const std::string& path, std::vector<RequestedLine>& lines,
               Problems& problems) {
  if (!line.is_object()) {
    problems.push_back({path, "must be an object with product_id and quantity"});
    lines.emplace_back();  // keeps line numbers aligned for the duplicate check
    return;
  }
  for (const auto& [name, value] : line.items()) {
    if (name != "product_id" && name != "quantity") {
      problems.push_back({path + "." + Echoed(name), "is not a field of an order line"});
    }
  }
  // Every line is kept, valid or not, so that a later line repeating its product is found.
  RequestedLine parsed;
  const auto product = line.find("product_id");
  if (product == line.end()) {
    problems.push_back({path + ".product_id", "is required"});
  } else if (!product->is_string() || !core::IsUuid(product->get_ref<const std::string&>())) {
    problems.push_back({path + ".product_id", "must be a product id (a UUID)"});
  } else {
    parsed.product_id = *core::CanonicalUuid(product->get_ref<const std::string&>());
    const auto earlier = std::find_if(lines.begin(), lines.end(), [&](const RequestedLine& other) {
      return other.product_id == parsed.product_id;
    });
    if (earlier != lines.end()) {
      problems.push_back({path + ".product_id", "repeats the product of items[" +
                                                    std::to_string(earlier - lines.begin()) +
                                                    "]; put the whole quantity on one line"});
    }
  }
  const auto quantity = line.find("quantity");
  std::optional<std::int64_t> value;
  if (quantity != line.end() && quantity->is_number_unsigned()) {
    const auto number = quantity->get<std::uint64_t>();
    if (number <= static_cast<std::uint64_t>(kMaxQuantity)) value = static_cast<std::int64_t>(number);
  } else if (quantity != line.end() && quantity->is_number_integer()) {
    value = quantity->get<std::int64_t>();
  }
  if (quantity == line.end()) {
    problems.push_back({path + ".quantity", "is required"});
  } else if (!value || *value < 1 || *value > kMaxQuantity) {
    problems.push_back({path + ".quantity", "must be an integer from 1 to " + std::to_string(kMaxQuantity)});
  } else {
    parsed.quantity = *value;
  }
  lines.push_back(std::move(parsed));
}

}  // namespace

std::variant<std::vector<RequestedLine>, Problems> ParseCreateOrder(const json& body) {
  Problems problems;
  if (!body.is_object()) return Problems{{"", "must be a JSON object with items"}};
  for (const auto& [name, value] : body.items()) {
    if (name != "items") problems.push_back({Echoed(name), "is not a field of an order request"});
  }
  std::vector<RequestedLine> lines;
  const auto items = body.find("items");
  if (items == body.end()) {
    problems.push_back({"items", "is required"});
  } else if (!items->is_array() || items->empty() || items->size() > kMaxLines) {
    problems.push_back({"items", "must be an array of 1 to " + std::to_string(kMaxLines) + " lines"});
  } else {
    for (std::size_t i = 0; i < items->size(); ++i) {
      ParseLine((*items)[i], "items[" + std::to_string(i) + "]", lines, problems);
    }
  }
  if (!problems.empty()) return problems;
  return lines;
}

std::optional<FieldProblem> CheckIdempotencyKey(const std::optional<std::string_view>& key) {
  if (!key) return FieldProblem{"Idempotency-Key", "is required: a unique value per order attempt"};
  const bool printable = std::all_of(key->begin(), key->end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
  if (key->empty() || key->size() > kMaxIdempotencyKeyBytes || !printable) {
    return FieldProblem{"Idempotency-Key", "must be 1 to " + std::to_string(kMaxIdempotencyKeyBytes) +
                                               " printable ASCII characters"};
  }
  return std::nullopt;
}

std::string RequestFingerprint(const std::vector<RequestedLine>& lines) {
  json canonical = json::array();
  for (const auto& line : lines) canonical.push_back({line.product_id, line.quantity});
  return core::Sha256Hex(canonical.dump());
}

std::string EncodeCursor(const OrderCursor& cursor) {
  return core::Base64UrlEncode(json{{"c", cursor.created_at_us}, {"i", cursor.id}}.dump());
}

std::optional<OrderCursor> DecodeCursor(std::string_view text) {
  const auto decoded = core::Base64UrlDecode(text);
  if (!decoded) return std::nullopt;
  const json parsed = json::parse(*decoded, nullptr, false);
  if (!parsed.is_object() || parsed.size() != 2) return std::nullopt;
  const auto created = parsed.find("c");
  const auto id = parsed.find("i");
  if (created == parsed.end() || id == parsed.end() || !created->is_number_integer() || !id->is_string()) {
    return std::nullopt;
  }
  const std::string& id_text = id->get_ref<const std::string&>();
  if (core::CanonicalUuid(id_text) != id_text) return std::nullopt;
  if (created->is_number_unsigned() &&
      created->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    return std::nullopt;
  }
  return OrderCursor{created->get<std::int64_t>(), id_text};
}

std::variant<OrderListQuery, Problems> ParseListQuery(
    const std::vector<std::pair<std::string, std::string>>& parameters) {
  OrderListQuery query;
  Problems problems;
  std::vector<std::string> seen;
  for (const auto& [name, value] : parameters) {
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      problems.push_back({Echoed(name), "is given more than once"});
      continue;
    }
    seen.push_back(name);
    if (name == "customer_id") {
      if (value.empty() || value.size() > 200) {
        problems.push_back({name, "must be a customer id"});
      } else {
        query.customer_id = value;
      }
    } else if (name == "status") {
      std::string_view rest = value;
      bool valid = !rest.empty();
      while (valid) {
        const auto comma = rest.find(',');
        const auto status = ParseStatus(rest.substr(0, comma));
        if (!status) {
          valid = false;
          break;
        }
        if (std::find(query.statuses.begin(), query.statuses.end(), *status) == query.statuses.end()) {
          query.statuses.push_back(*status);
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      if (!valid) {
        query.statuses.clear();
        problems.push_back({name, "must be a comma-separated list of PENDING, RESERVED, PAID, CANCELLED"});
      }
    } else if (name == "limit") {
      const auto limit = ParseInt(value);
      if (!limit || *limit < 1 || *limit > static_cast<std::int64_t>(kMaxLimit)) {
        problems.push_back({name, "must be an integer from 1 to " + std::to_string(kMaxLimit)});
      } else {
        query.limit = static_cast<std::size_t>(*limit);
      }
    } else if (name == "cursor") {
      query.after = DecodeCursor(value);
      if (!query.after) problems.push_back({name, "is not a cursor of this listing; start again without it"});
    } else {
      problems.push_back(
          {Echoed(name), "is not a parameter of this listing (customer_id, status, limit, cursor)"});
    }
  }
  if (!problems.empty()) return problems;
  return query;
}

}  // namespace microstore::order
