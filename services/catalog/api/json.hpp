#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "catalog/domain/availability.hpp"
#include "catalog/domain/changes.hpp"
#include "catalog/domain/listing.hpp"
#include "catalog/domain/product.hpp"
#include "platform/core/field_error.hpp"
#include "platform/messaging/envelope.hpp"

// The catalogue's wire formats in and out: product bodies, the listing's query and cursor, and
// stock's StockLevelChanged payload. Pure: no I/O, so the fuzz harness and unit tests call it as
// the routes and event handlers do.
//
// Bodies: every problem is reported at once, each naming its field as a JSON path
// ("dimensions_mm.width", "tags[3]"; "" for the body itself). A field of the wrong JSON type is
// refused here ("must be a string", "must be an integer", "must be a whole number", …); the
// rules of its value are the domain's (domain/validation.hpp). Unknown fields ("is not a known
// field") and read-only ones (id, archived, version, created_at, updated_at: "is read-only") are
// refused; their names are echoed through core::EchoedName. (Invalid UTF-8 never gets this far:
// the platform's JSON reader refuses it naming the field.)
namespace microstore::catalog::api {

// A create request: sku, name, price_minor and currency are required; description (""),
// photo_url (null), weight_grams (0), dimensions_mm (zeros), tags ([]) and on_promotion (false)
// are optional. dimensions_mm, when given, needs all three measures.
std::variant<ProductFields, core::FieldErrors> ReadNewProduct(const nlohmann::json& body);

// A partial update: the fields present, each read as in a create request (photo_url null removes
// the photo; dimensions_mm may give any of its measures). Its problems are DecidePatch's to report.
PatchRequest ReadProductPatch(const nlohmann::json& body);

// The editable fields in the shape of a create request (every field present).
nlohmann::json FieldsJson(const ProductFields& fields);

// The public representation:
// {id, sku, name, description, photo_url, price_minor, currency, weight_grams,
//  dimensions_mm{length,width,height}, tags, on_promotion, archived, version, created_at, updated_at,
//  in_stock}.
nlohmann::json ProductJson(const Product& product);

// GET /api/v1/products as asked: what to list, the page size and the cursor as given.
struct ListRequest {
  ListQuery query;
  std::size_t limit = 0;
  std::optional<std::string> cursor;  // see DecodeCursor
};

// Reads the (percent-decoded) query parameters through http::QueryReader: q, min_price,
// max_price, tag, on_promotion, in_stock, sort, limit (1–100, default 20), cursor. Unknown or
// repeated parameters and bad values are problems naming the parameter. sort defaults to
// relevance when q has words, newest otherwise (DefaultSort); q without any word counts as no q.
std::variant<ListRequest, core::FieldErrors> ReadListRequest(
    std::vector<std::pair<std::string, std::string>> parameters);

// base64url of {"s": sort, "k": key, "i": id, "f": fingerprint} (wire::EncodeCursor of
// CursorOf(query, position)).
std::string EncodeCursor(const ListQuery& query, const CursorPosition& position);

// The position `token` holds when it is a cursor of this listing (PositionIn); nullopt otherwise.
std::optional<CursorPosition> DecodeCursor(std::string_view token, const ListQuery& query);

// The availability a StockLevelChanged event reports: payload product_id (a UUID) and in_stock,
// the stock item's version from the aggregate (at least 1). Throws messaging::PoisonEvent naming
// what is unusable (messaging::PayloadReader).
Availability ReadStockLevelChanged(const messaging::Envelope& event);

}  // namespace microstore::catalog::api
