// catalog's request readers, as api/routes.cpp calls them. The first line names the route:
//   create    POST /products body: Request::Json, ReadNewProduct
//   patch     PATCH /products/{id}: "<If-Match header>\n<body>": ParseIfMatch, Request::Json,
//             ReadProductPatch, DecidePatch
//   list      GET /products query string: QueryParameters, ReadListRequest, DecodeCursor
//   position  "<query string>\n<sort key>\n<id>": a cursor EncodeCursor writes for that listing
// Invariants: only HttpError 400/415/422 escapes; refusals name their fields; accepted fields obey
// the documented rules and validate again to themselves; a patch decides in the documented order;
// a cursor decodes to the position it was written for, and only for its own listing.
#include <algorithm>
#include <variant>

#include "catalog/api/json.hpp"
#include "catalog/domain/changes.hpp"
#include "catalog/domain/listing.hpp"
#include "catalog/domain/product.hpp"
#include "catalog/domain/utf8.hpp"
#include "catalog/domain/validation.hpp"
#include "platform/core/ids.hpp"
#include "platform/http/query.hpp"
#include "support.hpp"

namespace {

namespace http = microstore::http;
namespace catalog = microstore::catalog;
using microstore::fuzz::AllowingHttpErrors;
using microstore::fuzz::CheckProblems;
using nlohmann::json;

bool IsSkuChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

void CheckFields(const catalog::ProductFields& fields) {
  FUZZ_CHECK(!fields.sku.empty() && fields.sku.size() <= catalog::kMaxSkuLength &&
                 std::all_of(fields.sku.begin(), fields.sku.end(), IsSkuChar),
             "an accepted sku breaks the rule: " + fields.sku);
  const std::size_t name_chars = catalog::utf8::CountCodePoints(fields.name);
  FUZZ_CHECK(name_chars >= 1 && name_chars <= catalog::kMaxNameCharacters);
  FUZZ_CHECK(catalog::utf8::CountCodePoints(fields.description) <= catalog::kMaxDescriptionCharacters);
  if (fields.photo_url) {
    FUZZ_CHECK(fields.photo_url->size() <= catalog::kMaxPhotoUrlBytes &&
               catalog::IsHttpUrl(*fields.photo_url));
  }
  FUZZ_CHECK(fields.price_minor >= 0 && fields.price_minor <= catalog::kMaxPriceMinor);
  FUZZ_CHECK(fields.currency.size() == 3 && std::all_of(fields.currency.begin(), fields.currency.end(),
                                                        [](char c) { return c >= 'A' && c <= 'Z'; }));
  for (const std::int64_t measure : {fields.weight_grams, fields.dimensions_mm.length,
                                     fields.dimensions_mm.width, fields.dimensions_mm.height}) {
    FUZZ_CHECK(measure >= 0 && measure <= catalog::kMaxMeasure);
  }
  FUZZ_CHECK(fields.tags.size() <= catalog::kMaxTags);
  for (std::size_t i = 0; i < fields.tags.size(); ++i) {
    FUZZ_CHECK(catalog::NormalizeTag(fields.tags[i]) == fields.tags[i], "an accepted tag is not normalised");
    FUZZ_CHECK(std::find(fields.tags.begin(), fields.tags.begin() + static_cast<std::ptrdiff_t>(i),
                         fields.tags[i]) == fields.tags.begin() + static_cast<std::ptrdiff_t>(i),
               "a repeated tag");
  }
  // Valid fields are a valid create request, and validate to themselves.
  auto again = catalog::api::ReadNewProduct(catalog::api::FieldsJson(fields));
  FUZZ_CHECK(std::holds_alternative<catalog::ProductFields>(again), "accepted fields do not validate again");
  FUZZ_CHECK(std::get<catalog::ProductFields>(again) == fields, "accepted fields validate to other fields");
  const auto empty = catalog::api::ReadProductPatch(json::object());
  FUZZ_CHECK(std::holds_alternative<catalog::ProductPatch>(empty) &&
                 catalog::Patched(fields, std::get<catalog::ProductPatch>(empty)) == fields,
             "an empty patch changes valid fields");
  // Valid fields as a patch set themselves.
  const auto itself = catalog::api::ReadProductPatch(catalog::api::FieldsJson(fields));
  FUZZ_CHECK(
      std::holds_alternative<catalog::ProductPatch>(itself) &&
          catalog::Patched(catalog::ProductFields{}, std::get<catalog::ProductPatch>(itself)) == fields,
      "valid fields as a patch do not set themselves");
}

std::optional<json> Body(std::string_view text) {
  const http::Request request = microstore::fuzz::JsonRequest(text);
  std::optional<json> body;
  AllowingHttpErrors({400, 415, 422}, [&] { body = request.Json(); });
  return body;
}

void Create(std::string_view text) {
  const auto body = Body(text);
  if (!body) return;
  auto validated = catalog::api::ReadNewProduct(*body);
  if (auto* problems = std::get_if<microstore::core::FieldErrors>(&validated))
    return CheckProblems(*problems, "create");
  CheckFields(std::get<catalog::ProductFields>(validated));
}

catalog::Product Current(bool archived) {
  catalog::Product product;
  product.id = "6f0d7c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f";
  product.fields = {.sku = "CHAIR-1",
                    .name = "Oak chair",
                    .description = "Solid oak.",
                    .photo_url = "https://example.com/chair.jpg",
                    .price_minor = 129900,
                    .currency = "EUR",
                    .weight_grams = 5200,
                    .dimensions_mm = {450, 500, 900},
                    .tags = {"chair", "oak"},
                    .on_promotion = false};
  product.archived = archived;
  product.version = 3;
  return product;
}

void Patch(std::string_view text) {
  const auto newline = text.find('\n');
  const std::string_view header = text.substr(0, newline);
  const std::string_view rest =
      newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  std::optional<catalog::IfMatch> precondition = catalog::ParseIfMatch(header);
  if (precondition && !precondition->any) {
    for (const std::int64_t version : precondition->versions)
      FUZZ_CHECK(catalog::Matches(*precondition, version));
  }
  if (header.empty()) precondition.reset();  // no If-Match header
  const auto body = Body(rest);
  if (!body) return;
  const catalog::PatchRequest patch = catalog::api::ReadProductPatch(*body);
  for (const bool archived : {false, true}) {
    const catalog::Product current = Current(archived);
    const bool matches = !precondition || catalog::Matches(*precondition, current.version);
    const auto decision = catalog::DecidePatch(current, precondition, patch);
    if (!matches) {
      FUZZ_CHECK(std::holds_alternative<catalog::patch::VersionMismatch>(decision),
                 "If-Match not checked first");
      continue;
    }
    if (archived) {
      FUZZ_CHECK(std::holds_alternative<catalog::patch::Archived>(decision),
                 "an archived product was patched");
      continue;
    }
    if (const auto* invalid = std::get_if<catalog::patch::Invalid>(&decision)) {
      CheckProblems(invalid->problems, "patch");
    } else if (const auto* changed = std::get_if<catalog::patch::Changed>(&decision)) {
      FUZZ_CHECK(changed->fields != current.fields, "a change that changes nothing");
      CheckFields(changed->fields);
    } else {
      FUZZ_CHECK(std::holds_alternative<catalog::patch::Unchanged>(decision));
    }
  }
}

std::optional<catalog::api::ListRequest> ParseQuery(std::string_view query_string) {
  http::Request http_request;
  http_request.target = "/api/v1/products?" + std::string(query_string);
  std::vector<std::pair<std::string, std::string>> parameters;
  if (!AllowingHttpErrors({400}, [&] { parameters = http::QueryParameters(http_request); }))
    return std::nullopt;
  bool utf8 = true;
  for (const auto& [name, value] : parameters) utf8 = utf8 && microstore::fuzz::IsUtf8(name);
  auto parsed = catalog::api::ReadListRequest(parameters);
  if (auto* problems = std::get_if<microstore::core::FieldErrors>(&parsed)) {
    if (utf8) CheckProblems(*problems, "list");
    return std::nullopt;
  }
  const auto& request = std::get<catalog::api::ListRequest>(parsed);
  const auto& query = request.query;
  FUZZ_CHECK(request.limit >= 1 && request.limit <= http::kMaxPageLimit);
  FUZZ_CHECK(query.sort != catalog::Sort::kRelevance || !query.words.empty(),
             "relevance without search words");
  if (query.tag) FUZZ_CHECK(catalog::NormalizeTag(*query.tag) == *query.tag);
  return request;
}

void List(std::string_view query_string) {
  const auto request = ParseQuery(query_string);
  if (!request || !request->cursor) return;
  const auto position = catalog::api::DecodeCursor(*request->cursor, request->query);
  if (!position) return;
  FUZZ_CHECK(microstore::core::IsUuid(position->id), "a cursor position without a UUID");
  FUZZ_CHECK(catalog::api::DecodeCursor(catalog::api::EncodeCursor(request->query, *position),
                                        request->query) == position,
             "a decoded position does not survive encoding again");
}

void Position(std::string_view text) {
  const auto first = text.find('\n');
  if (first == std::string_view::npos) return;
  const auto second = text.find('\n', first + 1);
  const auto request = ParseQuery(text.substr(0, first));
  if (!request) return;
  const catalog::ListQuery& query = request->query;
  catalog::CursorPosition position;
  position.key = std::string(
      text.substr(first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1));
  position.id = second == std::string_view::npos ? "" : std::string(text.substr(second + 1));
  // Positions come from rows the database returned: text, valid UTF-8.
  if (!microstore::fuzz::IsUtf8(position.key) || !microstore::fuzz::IsUtf8(position.id)) return;
  const std::string cursor = catalog::api::EncodeCursor(query, position);
  const auto decoded = catalog::api::DecodeCursor(cursor, query);
  if (decoded) FUZZ_CHECK(*decoded == position, "a cursor decodes to another position");
  // A cursor continues only its own listing: another sort is another fingerprint.
  catalog::ListQuery other = query;
  other.sort = query.sort == catalog::Sort::kNewest ? catalog::Sort::kName : catalog::Sort::kNewest;
  FUZZ_CHECK(!catalog::api::DecodeCursor(cursor, other), "a cursor continues a listing of another sort");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const kRoutes[] = {"create", "patch", "list", "position"};
  const auto selected = microstore::fuzz::Select(microstore::fuzz::AsText(data, size), kRoutes);
  return microstore::fuzz::Guarded([&] {
    switch (selected.index) {
      case 0:
        return Create(selected.rest);
      case 1:
        return Patch(selected.rest);
      case 2:
        return List(selected.rest);
      case 3:
        return Position(selected.rest);
    }
  });
}
