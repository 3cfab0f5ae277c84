#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "catalog/domain/product.hpp"

// Validation of product bodies. Every problem is reported at once, each naming its field as a
// JSON path ("dimensions_mm.width", "tags[3]"; "" for the body itself).
//
// Rules: sku 1–64 of [A-Za-z0-9._-]; name 1–200 characters (code points), not blank, no control
// characters; description ≤ 5000 characters, no control characters but tab and line breaks;
// photo_url null or an http(s) URL ≤ 2048 bytes; price_minor an integer 0..10^12; currency three
// upper-case letters; weight_grams and each of dimensions_mm.{length,width,height} an integer
// 0..10^7; tags at most 20 (after lower-casing and removing duplicates), each 1–40 of [a-z0-9-];
// on_promotion a boolean. Fields of the wrong JSON type, unknown fields and read-only fields (id,
// archived, version, created_at, updated_at) are refused.
// (Invalid UTF-8 never gets this far: the platform's JSON reader refuses it naming the field.)
namespace microstore::catalog {

struct FieldProblem {
  std::string field;
  std::string message;

  bool operator==(const FieldProblem&) const = default;
};
using Problems = std::vector<FieldProblem>;

// A create request: sku, name, price_minor and currency are required; description (""),
// photo_url (null), weight_grams (0), dimensions_mm (zeros), tags ([]) and on_promotion (false)
// are optional. dimensions_mm, when given, needs all three measures.
std::variant<ProductFields, Problems> ValidateNewProduct(const nlohmann::json& body);

// A partial update: the fields present in `patch` replace the current ones (dimensions_mm is
// merged measure by measure; photo_url null removes the photo), and the result is validated as a
// whole with the rules of a create request.
std::variant<ProductFields, Problems> ApplyPatch(const ProductFields& current, const nlohmann::json& patch);

// An absolute http or https URL with a host, printable ASCII only. (Length is checked apart.)
bool IsHttpUrl(std::string_view url);

// A tag after lower-casing, or nullopt when it is not 1–40 of [a-z0-9-].
std::optional<std::string> NormalizeTag(std::string_view tag);

}  // namespace microstore::catalog
