#include "catalog/domain/changes.hpp"

#include <charconv>

namespace microstore::catalog {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::optional<IfMatch> ParseIfMatch(std::string_view header) {
  const auto trim = [](std::string_view text) {
    while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
    return text;
  };
  header = trim(header);
  if (header == "*") return IfMatch{.any = true, .versions = {}};
  IfMatch condition;
  bool any_tag = false;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view tag = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (tag.empty()) continue;  // RFC 9110 list syntax tolerates empty elements
    const bool weak = tag.starts_with("W/");
    if (weak) tag.remove_prefix(2);
    if (tag.size() < 2 || tag.front() != '"' || tag.back() != '"') return std::nullopt;
    const std::string_view opaque = tag.substr(1, tag.size() - 2);
    for (const char c : opaque) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"' || byte < 0x21 || byte == 0x7F) return std::nullopt;
    }
    any_tag = true;
    std::int64_t version = 0;
    const auto [end, error] = std::from_chars(opaque.data(), opaque.data() + opaque.size(), version);
    if (!weak && error == std::errc() && end == opaque.data() + opaque.size() && version >= 1) {
      condition.versions.push_back(version);
    }
  }
  if (!any_tag) return std::nullopt;
  return condition;
}

bool Matches(const IfMatch& condition, std::int64_t version) {
  if (condition.any) return true;
  for (const auto candidate : condition.versions) {
    if (candidate == version) return true;
  }
  return false;
}

std::string EntityTag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

PatchDecision DecidePatch(const Product& current, const std::optional<IfMatch>& precondition,
                          const nlohmann::json& patch) {
  if (precondition && !Matches(*precondition, current.version))
    return patch::VersionMismatch{current.version};
  if (current.archived) return patch::Archived{};
  auto merged = ApplyPatch(current.fields, patch);
  if (auto* problems = std::get_if<Problems>(&merged)) return patch::Invalid{std::move(*problems)};
  auto& fields = std::get<ProductFields>(merged);
  if (fields == current.fields) return patch::Unchanged{};
  return patch::Changed{std::move(fields)};
}

messaging::AggregateRef AggregateOf(const Product& product) {
  return {"product", product.id, product.version, std::string(product.Status())};
}

nlohmann::json ProductPayload(const Product& product) {
  nlohmann::json payload = ToJson(product);
  payload.erase("id");
  payload.erase("in_stock");  // stock's news, not the product's
  payload["product_id"] = product.id;
  return payload;
}

std::vector<EventDraft> CreatedEvents(const Product& created) {
  return {{"ProductCreated", ProductPayload(created)}};
}

std::vector<EventDraft> UpdatedEvents(const Product& before, const Product& after) {
  std::vector<EventDraft> events{{"ProductUpdated", ProductPayload(after)}};
  if (before.fields.price_minor != after.fields.price_minor ||
      before.fields.currency != after.fields.currency) {
    events.push_back({"ProductPriceChanged",
                      {{"product_id", after.id},
                       {"sku", after.fields.sku},
                       {"old_price_minor", before.fields.price_minor},
                       {"price_minor", after.fields.price_minor},
                       {"currency", after.fields.currency}}});
  }
  return events;
}

std::vector<EventDraft> ArchivedEvents(const Product& archived) {
  return {{"ProductArchived", {{"product_id", archived.id}, {"sku", archived.fields.sku}}}};
}

}  // namespace microstore::catalog
