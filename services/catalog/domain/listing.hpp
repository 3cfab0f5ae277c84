#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "catalog/domain/validation.hpp"

// Listing and searching products: the query parameters of GET /api/v1/products and the opaque
// keyset cursor that continues a listing.
namespace microstore::catalog {

inline constexpr std::size_t kDefaultLimit = 20;
inline constexpr std::size_t kMaxLimit = 100;
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

struct ListQuery {
  std::vector<std::string> words;  // search words (SearchWords of q); empty: no search
  std::optional<std::int64_t> min_price;
  std::optional<std::int64_t> max_price;
  std::optional<std::string> tag;  // normalised (lower-case)
  std::optional<bool> on_promotion;
  std::optional<bool> in_stock;
  Sort sort = Sort::kNewest;
  std::size_t limit = kDefaultLimit;
  std::optional<std::string> cursor;  // as given; see DecodeCursor
};

// Reads the (percent-decoded) query parameters: q, min_price, max_price, tag, on_promotion,
// in_stock, sort, limit, cursor. Unknown or repeated parameters and bad values are problems naming the
// parameter. sort defaults to relevance when q has words, newest otherwise; relevance without
// words is refused. q without any word counts as no q.
std::variant<ListQuery, Problems> ParseListQuery(
    const std::vector<std::pair<std::string, std::string>>& parameters);

// Where a page ended: the last item's sort key as text (see below) and its id.
//   newest: created_at in microseconds since the Unix epoch; price_*: price_minor;
//   name: lower-cased name; relevance: the rank rounded to 6 decimals (PostgreSQL numeric text).
struct CursorPosition {
  std::string key;
  std::string id;

  bool operator==(const CursorPosition&) const = default;
};

// A hash of everything that selects and orders the rows (words, filters, sort), so a cursor
// cannot continue a different listing.
std::string ListingFingerprint(const ListQuery& query);

// base64url of {"s": sort, "k": key, "i": id, "f": fingerprint}.
std::string EncodeCursor(const ListQuery& query, const CursorPosition& position);

// The position `token` holds when it is a cursor of this listing (same sort and fingerprint) with
// a well-formed key for the sort and a UUID; nullopt otherwise (answered as invalid-cursor).
std::optional<CursorPosition> DecodeCursor(std::string_view token, const ListQuery& query);

}  // namespace microstore::catalog
