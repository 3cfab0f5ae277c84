#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/domain/product.hpp"

// The rules of a product's fields, on plain values. api/json.cpp reads a body field by field,
// refuses values of the wrong JSON type, and asks these rules of the rest; each answers what is
// wrong, phrased to follow the field's name ("must be 1 to 64 characters"), or nullopt.
//
// Rules: sku 1–64 of [A-Za-z0-9._-]; name 1–200 characters (code points), not blank, no control
// characters; description ≤ 5000 characters, no control characters but tab and line breaks;
// photo_url an http(s) URL ≤ 2048 bytes; price_minor 0..kMaxPriceMinor; currency three
// upper-case letters; weight_grams and each measure 0..kMaxMeasure (product.hpp); tags at most
// 20 after lower-casing and removing duplicates, each 1–40 of [a-z0-9-].
namespace microstore::catalog {

std::optional<std::string> SkuProblem(std::string_view sku);
std::optional<std::string> NameProblem(std::string_view name);
std::optional<std::string> DescriptionProblem(std::string_view description);
std::optional<std::string> PhotoUrlProblem(std::string_view url);
std::optional<std::string> CurrencyProblem(std::string_view currency);

// An absolute http or https URL with a host, printable ASCII only. (Length is checked apart.)
bool IsHttpUrl(std::string_view url);

// A tag after lower-casing, or nullopt when it is not 1–40 of [a-z0-9-] (then kTagRule is what
// is wrong with it).
std::optional<std::string> NormalizeTag(std::string_view tag);
inline constexpr std::string_view kTagRule = "must be 1 to 40 of a-z, 0-9 and '-'";

// Normalised tags without their repeats, in order of first appearance: what a product keeps.
std::vector<std::string> DistinctTags(const std::vector<std::string>& normalized);
// The problem of a product's distinct tags: more than kMaxTags.
std::optional<std::string> TagsProblem(const std::vector<std::string>& distinct);

}  // namespace microstore::catalog
