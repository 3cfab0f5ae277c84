#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "catalog/domain/product.hpp"
#include "catalog/domain/validation.hpp"
#include "platform/messaging/envelope.hpp"

// Decisions about changing a product, and the events each change emits.
namespace microstore::catalog {

// An If-Match header: `*`, or a list of strong entity tags `"<version>"`.
struct IfMatch {
  bool any = false;
  std::vector<std::int64_t> versions;
};
// nullopt when the header is not such a list. Weak tags (W/"3") and tags that are not a
// version parse but never match (If-Match uses strong comparison).
std::optional<IfMatch> ParseIfMatch(std::string_view header);
bool Matches(const IfMatch& condition, std::int64_t version);

// The strong entity tag of a product version: "\"7\"".
std::string EntityTag(std::int64_t version);

namespace patch {
struct VersionMismatch {
  std::int64_t current_version;
};
struct Archived {};
struct Invalid {
  Problems problems;
};
struct Unchanged {};
struct Changed {
  ProductFields fields;
};
}  // namespace patch
using PatchDecision =
    std::variant<patch::VersionMismatch, patch::Archived, patch::Invalid, patch::Unchanged, patch::Changed>;

// What a PATCH does to `current`, checked in this order: the precondition (412), an archived
// product (409), the merged fields' validity (422); fields equal to the current ones change
// nothing (no new version, no event).
PatchDecision DecidePatch(const Product& current, const std::optional<IfMatch>& precondition,
                          const nlohmann::json& patch);

// Events (producer "catalog", schema_version 1, aggregate {"product", id, version, status}):
//   ProductCreated       the product's JSON with "product_id" in place of "id"
//   ProductUpdated       the same shape after the change
//   ProductPriceChanged  {product_id, sku, old_price_minor, price_minor, currency}: with
//                        ProductUpdated when price_minor or currency changed (same version)
//   ProductArchived      {product_id, sku}
inline constexpr const char* kProducer = "catalog";

// An event about one product: AppendProductEvents adds the aggregate (AggregateOf the product).
struct EventDraft {
  std::string type;
  nlohmann::json payload;

  bool operator==(const EventDraft&) const = default;
};

messaging::AggregateRef AggregateOf(const Product& product);
nlohmann::json ProductPayload(const Product& product);
std::vector<EventDraft> CreatedEvents(const Product& created);
std::vector<EventDraft> UpdatedEvents(const Product& before, const Product& after);
std::vector<EventDraft> ArchivedEvents(const Product& archived);

}  // namespace microstore::catalog
