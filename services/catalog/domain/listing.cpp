#include "catalog/domain/listing.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "platform/core/encoding.hpp"
#include "platform/core/ids.hpp"
#include "platform/core/text.hpp"
#include "catalog/domain/search.hpp"
#include "catalog/domain/utf8.hpp"

namespace microstore::catalog {
namespace {

constexpr std::array<std::pair<Sort, std::string_view>, 5> kSorts = {{{Sort::kRelevance, "relevance"},
                                                                      {Sort::kNewest, "newest"},
                                                                      {Sort::kPriceAsc, "price_asc"},
                                                                      {Sort::kPriceDesc, "price_desc"},
                                                                      {Sort::kName, "name"}}};
constexpr std::array<std::string_view, 9> kParameters = {
    "q", "min_price", "max_price", "tag", "on_promotion", "in_stock", "sort", "limit", "cursor"};
constexpr std::size_t kMaxCursorBytes = 2048;
constexpr std::size_t kMaxNameKeyBytes = 1024;
// 2^53: newest keys stay exactly representable wherever they travel.
constexpr std::int64_t kMaxTimeKey = 9'007'199'254'740'992;

std::optional<std::int64_t> ParseDecimal(std::string_view text, std::int64_t min, std::int64_t max) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  if (text.front() == '+') return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return std::nullopt;
  return value;
}

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
      return ParseDecimal(key, -kMaxTimeKey, kMaxTimeKey).has_value();
    case Sort::kPriceAsc:
    case Sort::kPriceDesc:
      return ParseDecimal(key, 0, kMaxPriceMinor).has_value();
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

std::variant<ListQuery, Problems> ParseListQuery(
    const std::vector<std::pair<std::string, std::string>>& parameters) {
  Problems problems;
  const auto add = [&](std::string field, std::string message) {
    problems.push_back({std::move(field), std::move(message)});
  };
  std::vector<std::string_view> seen;
  const auto value_of = [&](std::string_view name) -> const std::string* {
    for (const auto& [key, value] : parameters) {
      if (key == name) return &value;
    }
    return nullptr;
  };
  for (const auto& [key, _] : parameters) {
    if (std::find(kParameters.begin(), kParameters.end(), key) == kParameters.end()) {
      add(key.size() <= 100 && core::IsValidUtf8(key) ? key : "(parameter)", "is not a known parameter");
    } else if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      if (std::count(seen.begin(), seen.end(), key) == 1) add(key, "must be given at most once");
      seen.push_back(key);
    } else {
      seen.push_back(key);
    }
  }

  ListQuery query;
  bool q_refused = false;
  if (const std::string* q = value_of("q")) {
    if (!core::IsValidUtf8(*q)) {
      add("q", "is not valid UTF-8");
      q_refused = true;
    } else if (utf8::CountCodePoints(*q) > kMaxSearchCharacters) {
      add("q", "must be at most 200 characters");
      q_refused = true;
    } else {
      query.words = SearchWords(*q);
    }
  }
  const std::string price_range = "must be an integer from 0 to " + std::to_string(kMaxPriceMinor);
  for (const char* name : {"min_price", "max_price"}) {
    if (const std::string* text = value_of(name)) {
      auto value = ParseDecimal(*text, 0, kMaxPriceMinor);
      if (!value || text->front() == '-') {
        add(name, price_range);
      } else {
        (std::string_view(name) == "min_price" ? query.min_price : query.max_price) = value;
      }
    }
  }
  if (query.min_price && query.max_price && *query.min_price > *query.max_price) {
    add("min_price", "must not be greater than max_price");
  }
  if (const std::string* text = value_of("tag")) {
    query.tag = NormalizeTag(*text);
    if (!query.tag) add("tag", "must be 1 to 40 of a-z, 0-9 and '-'");
  }
  const auto flag = [&](const char* name, std::optional<bool>& into) {
    const std::string* text = value_of(name);
    if (text == nullptr) return;
    if (*text == "true") {
      into = true;
    } else if (*text == "false") {
      into = false;
    } else {
      add(name, "must be true or false");
    }
  };
  flag("on_promotion", query.on_promotion);
  flag("in_stock", query.in_stock);
  query.sort = query.words.empty() ? Sort::kNewest : Sort::kRelevance;
  if (const std::string* text = value_of("sort")) {
    if (auto sort = ParseSort(*text)) {
      if (*sort == Sort::kRelevance && query.words.empty()) {
        if (!q_refused) add("sort", "relevance needs a search text with at least one word (q)");
      } else {
        query.sort = *sort;
      }
    } else {
      add("sort", "must be one of relevance, newest, price_asc, price_desc, name");
    }
  }
  if (const std::string* text = value_of("limit")) {
    auto limit = ParseDecimal(*text, 1, static_cast<std::int64_t>(kMaxLimit));
    if (!limit || text->front() == '-') {
      add("limit", "must be an integer from 1 to 100");
    } else {
      query.limit = static_cast<std::size_t>(*limit);
    }
  }
  if (const std::string* text = value_of("cursor")) query.cursor = *text;
  if (!problems.empty()) return problems;
  return query;
}

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

std::string EncodeCursor(const ListQuery& query, const CursorPosition& position) {
  const nlohmann::json cursor = {
      {"s", ToString(query.sort)}, {"k", position.key}, {"i", position.id}, {"f", ListingFingerprint(query)}};
  return core::Base64UrlEncode(cursor.dump());
}

std::optional<CursorPosition> DecodeCursor(std::string_view token, const ListQuery& query) {
  if (token.empty() || token.size() > kMaxCursorBytes) return std::nullopt;
  const auto text = core::Base64UrlDecode(token);
  if (!text || !core::IsValidUtf8(*text)) return std::nullopt;
  const auto cursor = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!cursor.is_object() || cursor.size() != 4) return std::nullopt;
  for (const char* field : {"s", "k", "i", "f"}) {
    if (!cursor.contains(field) || !cursor[field].is_string()) return std::nullopt;
  }
  if (cursor["s"].get<std::string>() != ToString(query.sort)) return std::nullopt;
  if (cursor["f"].get<std::string>() != ListingFingerprint(query)) return std::nullopt;
  CursorPosition position{cursor["k"].get<std::string>(), cursor["i"].get<std::string>()};
  if (!core::IsUuid(position.id) || !IsValidKey(query.sort, position.key)) return std::nullopt;
  return position;
}

}  // namespace microstore::catalog
