#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/domain/product.hpp"

// Listing and searching products: what selects and orders the rows of GET /api/v1/products, the
// rules of its parameters (api/json.cpp reads the query string and asks them), and what a keyset
// cursor holds.
namespace microstore::catalog {

inline constexpr std::size_t kMaxSearchCharacters = 200;

// Orders of a listing, each a total order thanks to the id as the last key:
//   relevance   search rank descending, then id ascending (only with search words)
//   newest      created_at descending, then id descending
//   price_asc   price_minor ascending, then id ascending
//   price_desc  price_minor descending, then id descending
//   name        lower-cased name ascending (byte order), then id ascending
enum class Sort { kRelevance, kNewest, kPriceAsc, kPriceDesc, kName };
std::string_view ToString(Sort sort);
std::optional<Sort> ParseSort(std::string_view text);
// "relevance, newest, price_asc, price_desc, name": the names ParseSort knows.
std::string SortNames();

struct ListQuery {
  std::vector<std::string> words;  // search words (SearchWords of q); empty: no search
  std::optional<std::int64_t> min_price;
  std::optional<std::int64_t> max_price;
  std::optional<std::string> tag;  // normalised (lower-case)
  std::optional<bool> on_promotion;
  std::optional<bool> in_stock;
  Sort sort = Sort::kNewest;
};

// The problem of a search text (q): not valid UTF-8, or more than kMaxSearchCharacters. A text
// without any word is no search.
std::optional<std::string> SearchTextProblem(std::string_view q);
// Without a sort asked for: relevance when there are search words, newest otherwise.
Sort DefaultSort(const std::vector<std::string>& words);
// The problem of ordering by `sort`: relevance needs search words.
std::optional<std::string> SortProblem(Sort sort, const std::vector<std::string>& words);
// Whether min_price ≤ max_price.
bool IsPriceRange(std::int64_t min_price, std::int64_t max_price);

// Where a page ended: the last item's sort key as text (see below) and its id.
//   newest: created_at in microseconds since the Unix epoch; price_*: price_minor;
//   name: lower-cased name; relevance: the rank rounded to 6 decimals (PostgreSQL numeric text).
struct CursorPosition {
  std::string key;
  std::string id;

  bool operator==(const CursorPosition&) const = default;
};

// A product of a listing with its sort key (CursorPosition::key of its row).
struct ListedProduct {
  Product product;
  std::string sort_key;
};

// A hash of everything that selects and orders the rows (words, filters, sort), so a cursor
// cannot continue a different listing.
std::string ListingFingerprint(const ListQuery& query);

// What a cursor holds (api/json.cpp writes it, opaque to clients): the listing it continues, by
// its sort's name and fingerprint, and the position.
struct ListingCursor {
  std::string sort;
  std::string fingerprint;
  CursorPosition position;
};
ListingCursor CursorOf(const ListQuery& query, CursorPosition position);

// The position `cursor` holds when it is a cursor of `query` (same sort and fingerprint) with a
// well-formed key for the sort and a UUID; nullopt otherwise (answered as invalid-cursor).
std::optional<CursorPosition> PositionIn(const ListQuery& query, const ListingCursor& cursor);

}  // namespace microstore::catalog
