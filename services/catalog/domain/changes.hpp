#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "catalog/domain/events.hpp"
#include "catalog/domain/product.hpp"
#include "platform/core/field_error.hpp"

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

// What a partial update (PATCH) sets: a field left out keeps its value, photo_url can also be set
// to none, and dimensions_mm changes measure by measure. Only the editable fields are here: the
// id, version, archived flag and timestamps are the catalogue's. Values obey the rules of
// validation.hpp (the reader checked them), tags normalised and distinct.
struct DimensionsPatch {
  std::optional<std::int64_t> length;
  std::optional<std::int64_t> width;
  std::optional<std::int64_t> height;

  bool operator==(const DimensionsPatch&) const = default;
};
struct ProductPatch {
  std::optional<std::string> sku;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::optional<std::string>> photo_url;  // absent, none (remove the photo), or a URL
  std::optional<std::int64_t> price_minor;
  std::optional<std::string> currency;
  std::optional<std::int64_t> weight_grams;
  DimensionsPatch dimensions_mm;
  std::optional<std::vector<std::string>> tags;
  std::optional<bool> on_promotion;

  bool operator==(const ProductPatch&) const = default;
};

// `fields` with what `patch` sets.
ProductFields Patched(ProductFields fields, const ProductPatch& patch);

// A patch as a request carried it: the changes, or every problem of the body (reported only once
// the precondition and the archived flag let the patch through).
using PatchRequest = std::variant<ProductPatch, core::FieldErrors>;

namespace patch {
struct VersionMismatch {
  std::int64_t current_version;
};
struct Archived {};
struct Invalid {
  core::FieldErrors problems;
};
struct Unchanged {};
struct Changed {
  ProductFields fields;
};
}  // namespace patch
using PatchDecision =
    std::variant<patch::VersionMismatch, patch::Archived, patch::Invalid, patch::Unchanged, patch::Changed>;

// What a PATCH does to `current`, checked in this order: the precondition (412), an archived
// product (409), the request's problems (422); fields equal to the current ones change nothing
// (no new version, no event).
PatchDecision DecidePatch(const Product& current, const std::optional<IfMatch>& precondition,
                          const PatchRequest& patch);

// The events of each change, made from the product as saved (its version and timestamps are the
// database's): ProductCreated; ProductUpdated, with ProductPriceChanged when price_minor or
// currency changed; ProductArchived.
std::vector<Event> CreatedEvents(const Product& created);
std::vector<Event> UpdatedEvents(const Product& before, const Product& after);
std::vector<Event> ArchivedEvents(const Product& archived);

}  // namespace microstore::catalog
