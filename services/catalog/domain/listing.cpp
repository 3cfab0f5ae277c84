#include "catalog/domain/listing.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "platform/core/ids.hpp"
#include "platform/core/numbers.hpp"
#include "platform/core/text.hpp"
#include "catalog/domain/utf8.hpp"

namespace microstore::catalog {
namespace {

constexpr std::array<std::pair<Sort, std::string_view>, 5> kSorts = {{{Sort::kRelevance, "relevance"},
                                                                      {Sort::kNewest, "newest"},
                                                                      {Sort::kPriceAsc, "price_asc"},
                                                                      {Sort::kPriceDesc, "price_desc"},
                                                                      {Sort::kName, "name"}}};
constexpr std::size_t kMaxNameKeyBytes = 1024;
// 2^53: newest keys stay exactly representable wherever they travel.
constexpr std::int64_t kMaxTimeKey = 9'007'199'254'740'992;

// A PostgreSQL numeric as written by round(x, 6): digits, optionally '.' and digits.
bool IsRankText(std::string_view text) {
  if (text.empty() || text.size() > 40) return false;
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  const auto digits = [](std::string_view part) {
    return !part.empty() &&
           std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return digits(whole) && (dot == std::string_view::npos || digits(fraction));
}

bool IsValidKey(Sort sort, const std::string& key) {
  switch (sort) {
    case Sort::kNewest:
      return core::ParseInteger(key, -kMaxTimeKey, kMaxTimeKey).has_value();
    case Sort::kPriceAsc:
    case Sort::kPriceDesc:
      return core::ParseInteger(key, 0, kMaxPriceMinor).has_value();
    case Sort::kName:
      return key.size() <= kMaxNameKeyBytes && core::IsValidUtf8(key) && key.find('\0') == std::string::npos;
    case Sort::kRelevance:
      return IsRankText(key);
  }
  return false;
}

std::uint64_t Fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace

std::string_view ToString(Sort sort) {
  for (const auto& [value, name] : kSorts) {
    if (value == sort) return name;
  }
  return "newest";
}

std::optional<Sort> ParseSort(std::string_view text) {
  for (const auto& [value, name] : kSorts) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string SortNames() {
  std::string names;
  for (const auto& [value, name] : kSorts) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

std::optional<std::string> SearchTextProblem(std::string_view q) {
  if (!core::IsValidUtf8(q)) return "is not valid UTF-8";
  if (utf8::CountCodePoints(q) > kMaxSearchCharacters) return "must be at most 200 characters";
  return std::nullopt;
}

Sort DefaultSort(const std::vector<std::string>& words) { return words.empty() ? Sort::kNewest : Sort::kRelevance; }

std::optional<std::string> SortProblem(Sort sort, const std::vector<std::string>& words) {
  if (sort == Sort::kRelevance && words.empty()) return "relevance needs a search text with at least one word (q)";
  return std::nullopt;
}

bool IsPriceRange(std::int64_t min_price, std::int64_t max_price) { return min_price <= max_price; }

std::string ListingFingerprint(const ListQuery& query) {
  // Separators below 0x20 cannot occur in words or tags, so distinct listings give distinct texts.
  std::string text = "v1\x1e";
  for (const auto& word : query.words) {
    text += word;
    text += '\x1f';
  }
  const auto optional_number = [](const std::optional<std::int64_t>& value) {
    return value ? std::to_string(*value) : std::string("-");
  };
  text += '\x1e' + optional_number(query.min_price) + '\x1e' + optional_number(query.max_price) + '\x1e';
  text += query.tag ? "t:" + *query.tag : std::string("-");
  text += '\x1e';
  const auto optional_flag = [](const std::optional<bool>& value) {
    return value ? (*value ? "true" : "false") : "-";
  };
  text += optional_flag(query.on_promotion);
  text += '\x1e';
  text += optional_flag(query.in_stock);
  text += '\x1e';
  text += ToString(query.sort);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(Fnv1a(text)));
  return hex;
}

ListingCursor CursorOf(const ListQuery& query, CursorPosition position) {
  return {std::string(ToString(query.sort)), ListingFingerprint(query), std::move(position)};
}

std::optional<CursorPosition> PositionIn(const ListQuery& query, const ListingCursor& cursor) {
  if (cursor.sort != ToString(query.sort) || cursor.fingerprint != ListingFingerprint(query)) return std::nullopt;
  if (!core::IsUuid(cursor.position.id) || !IsValidKey(query.sort, cursor.position.key)) return std::nullopt;
  return cursor.position;
}

}  // namespace microstore::catalog
