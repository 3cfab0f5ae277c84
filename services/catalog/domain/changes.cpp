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

ProductFields Patched(ProductFields fields, const ProductPatch& patch) {
  if (patch.sku) fields.sku = *patch.sku;
  if (patch.name) fields.name = *patch.name;
  if (patch.description) fields.description = *patch.description;
  if (patch.photo_url) fields.photo_url = *patch.photo_url;
  if (patch.price_minor) fields.price_minor = *patch.price_minor;
  if (patch.currency) fields.currency = *patch.currency;
  if (patch.weight_grams) fields.weight_grams = *patch.weight_grams;
  if (patch.dimensions_mm.length) fields.dimensions_mm.length = *patch.dimensions_mm.length;
  if (patch.dimensions_mm.width) fields.dimensions_mm.width = *patch.dimensions_mm.width;
  if (patch.dimensions_mm.height) fields.dimensions_mm.height = *patch.dimensions_mm.height;
  if (patch.tags) fields.tags = *patch.tags;
  if (patch.on_promotion) fields.on_promotion = *patch.on_promotion;
  return fields;
}

PatchDecision DecidePatch(const Product& current, const std::optional<IfMatch>& precondition,
                          const PatchRequest& patch) {
  if (precondition && !Matches(*precondition, current.version)) return patch::VersionMismatch{current.version};
  if (current.archived) return patch::Archived{};
  if (const auto* problems = std::get_if<core::FieldErrors>(&patch)) return patch::Invalid{*problems};
  ProductFields fields = Patched(current.fields, std::get<ProductPatch>(patch));
  if (fields == current.fields) return patch::Unchanged{};
  return patch::Changed{std::move(fields)};
}

std::vector<Event> CreatedEvents(const Product& created) { return {ProductCreated{created}}; }

std::vector<Event> UpdatedEvents(const Product& before, const Product& after) {
  std::vector<Event> events{ProductUpdated{after}};
  if (before.fields.price_minor != after.fields.price_minor || before.fields.currency != after.fields.currency) {
    events.push_back(ProductPriceChanged{after, before.fields.price_minor});
  }
  return events;
}

std::vector<Event> ArchivedEvents(const Product& archived) { return {ProductArchived{archived}}; }

}  // namespace microstore::catalog
