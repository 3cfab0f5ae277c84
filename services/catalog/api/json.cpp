#include "catalog/api/json.hpp"

#include <algorithm>
#include <array>

#include "catalog/domain/search.hpp"
#include "catalog/domain/validation.hpp"
#include "platform/core/text.hpp"
#include "platform/http/query.hpp"
#include "platform/messaging/payload_reader.hpp"
#include "platform/wire/fields.hpp"

namespace microstore::catalog::api {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 10> kEditableFields = {
    "sku",      "name",         "description",   "photo_url", "price_minor",
    "currency", "weight_grams", "dimensions_mm", "tags",      "on_promotion"};
constexpr std::array<std::string_view, 5> kReadOnlyFields = {"id", "archived", "version", "created_at",
                                                             "updated_at"};
constexpr std::array<std::string_view, 3> kMeasures = {"length", "width", "height"};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string IntegerRange(std::int64_t max) { return "must be an integer from 0 to " + std::to_string(max); }

// Reads the editable fields of a body into a ProductPatch, in the order the problems are
// reported: unknown and read-only fields first, then field by field as kEditableFields lists them.
// A create request also needs its required fields and all three measures.
class FieldReader {
 public:
  enum class Mode { kCreate, kPatch };
  explicit FieldReader(Mode mode) : mode_(mode) {}

  core::FieldErrors problems;

  ProductPatch Read(const json& body) {
    ProductPatch patch;
    if (!body.is_object()) {
      Add("", "must be a JSON object");
      return patch;
    }
    KnownFieldsOnly(body);
    if (const json* value = Find(body, "sku", kRequired)) patch.sku = Checked(*value, "sku", SkuProblem);
    if (const json* value = Find(body, "name", kRequired)) patch.name = Checked(*value, "name", NameProblem);
    if (const json* value = Find(body, "description")) {
      patch.description = Checked(*value, "description", DescriptionProblem);
    }
    if (const json* value = Find(body, "photo_url")) PhotoUrl(*value, patch.photo_url);
    if (const json* value = Find(body, "price_minor", kRequired)) {
      patch.price_minor = Integer(*value, "price_minor", kMaxPriceMinor);
    }
    if (const json* value = Find(body, "currency", kRequired)) {
      patch.currency = Checked(*value, "currency", CurrencyProblem);
    }
    if (const json* value = Find(body, "weight_grams")) {
      patch.weight_grams = Integer(*value, "weight_grams", kMaxMeasure);
    }
    if (const json* value = Find(body, "dimensions_mm")) Dimensions(*value, patch.dimensions_mm);
    if (const json* value = Find(body, "tags")) patch.tags = Tags(*value);
    if (const json* value = Find(body, "on_promotion")) patch.on_promotion = Flag(*value, "on_promotion");
    return patch;
  }

 private:
  static constexpr bool kRequired = true;

  void Add(std::string field, std::string message) { problems.push_back({std::move(field), std::move(message)}); }

  // The field `name` of `body`, or nullptr: absent (a problem when a create request needs it).
  const json* Find(const json& body, const char* name, bool required = false) {
    const auto it = body.find(name);
    if (it != body.end()) return &*it;
    if (required && mode_ == Mode::kCreate) Add(name, "is required");
    return nullptr;
  }

  void KnownFieldsOnly(const json& body) {
    for (const auto& [key, _] : body.items()) {
      if (Contains(kEditableFields, key)) continue;
      Add(core::EchoedName(key), Contains(kReadOnlyFields, key) ? "is read-only" : "is not a known field");
    }
  }

  // The string at `field` when it obeys `rule`, or nullopt after recording why not.
  template <typename Rule>
  std::optional<std::string> Checked(const json& value, const std::string& field, Rule rule) {
    if (!value.is_string()) {
      Add(field, "must be a string");
      return std::nullopt;
    }
    std::string text = value.get<std::string>();
    if (auto problem = rule(text)) {
      Add(field, std::move(*problem));
      return std::nullopt;
    }
    return text;
  }

  std::optional<std::int64_t> Integer(const json& value, const std::string& field, std::int64_t max) {
    if (auto number = wire::Integer(value, 0, max)) return number;
    Add(field, value.is_number_integer() ? IntegerRange(max)
               : value.is_number()       ? "must be a whole number"
                                         : "must be an integer");
    return std::nullopt;
  }

  std::optional<bool> Flag(const json& value, const std::string& field) {
    if (value.is_boolean()) return value.get<bool>();
    Add(field, "must be true or false");
    return std::nullopt;
  }

  void PhotoUrl(const json& value, std::optional<std::optional<std::string>>& out) {
    if (value.is_null()) {
      out.emplace(std::nullopt);
    } else if (!value.is_string()) {
      Add("photo_url", "must be a string or null");
    } else if (auto url = Checked(value, "photo_url", PhotoUrlProblem)) {
      out.emplace(std::move(url));
    }
  }

  void Dimensions(const json& value, DimensionsPatch& out) {
    if (!value.is_object()) {
      Add("dimensions_mm", "must be an object with length, width and height");
      return;
    }
    for (const auto& [key, _] : value.items()) {
      if (!Contains(kMeasures, key)) Add("dimensions_mm." + core::EchoedName(key), "is not a known field");
    }
    std::optional<std::int64_t>* targets[] = {&out.length, &out.width, &out.height};
    for (std::size_t i = 0; i < kMeasures.size(); ++i) {
      const std::string field = "dimensions_mm." + std::string(kMeasures[i]);
      const auto it = value.find(std::string(kMeasures[i]));
      if (it != value.end()) {
        *targets[i] = Integer(*it, field, kMaxMeasure);
      } else if (mode_ == Mode::kCreate) {
        Add(field, "is required");
      }
    }
  }

  std::optional<std::vector<std::string>> Tags(const json& value) {
    if (!value.is_array()) {
      Add("tags", "must be an array of strings");
      return std::nullopt;
    }
    std::vector<std::string> normalized;
    bool valid = true;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string field = "tags[" + std::to_string(i) + "]";
      if (!value[i].is_string()) {
        Add(field, "must be a string");
        valid = false;
      } else if (auto tag = NormalizeTag(value[i].get<std::string>())) {
        normalized.push_back(std::move(*tag));
      } else {
        Add(field, std::string(kTagRule));
        valid = false;
      }
    }
    std::vector<std::string> distinct = DistinctTags(normalized);
    if (auto problem = TagsProblem(distinct)) {
      Add("tags", std::move(*problem));
      valid = false;
    }
    if (!valid) return std::nullopt;
    return distinct;
  }

  Mode mode_;
};

bool Refused(const http::QueryReader& reader, std::string_view name) {
  return std::any_of(reader.errors().begin(), reader.errors().end(),
                     [name](const core::FieldError& error) { return error.field == name; });
}

// Prices carry no sign: core::ParseInteger alone would take "-0" for 0.
std::optional<std::int64_t> Price(http::QueryReader& reader, std::string_view name) {
  const std::string* text = reader.Find(name);
  if (text != nullptr && text->starts_with('-')) {
    reader.Fail(std::string(name), IntegerRange(kMaxPriceMinor));
    return std::nullopt;
  }
  return reader.Integer(name, 0, kMaxPriceMinor);
}

}  // namespace

std::variant<ProductFields, core::FieldErrors> ReadNewProduct(const json& body) {
  FieldReader reader(FieldReader::Mode::kCreate);
  const ProductPatch given = reader.Read(body);
  if (!reader.problems.empty()) return std::move(reader.problems);
  return Patched(ProductFields{}, given);
}

PatchRequest ReadProductPatch(const json& body) {
  FieldReader reader(FieldReader::Mode::kPatch);
  ProductPatch patch = reader.Read(body);
  if (!reader.problems.empty()) return std::move(reader.problems);
  return patch;
}

json FieldsJson(const ProductFields& fields) {
  return {
      {"sku", fields.sku},
      {"name", fields.name},
      {"description", fields.description},
      {"photo_url", fields.photo_url ? json(*fields.photo_url) : json(nullptr)},
      {"price_minor", fields.price_minor},
      {"currency", fields.currency},
      {"weight_grams", fields.weight_grams},
      {"dimensions_mm",
       {{"length", fields.dimensions_mm.length},
        {"width", fields.dimensions_mm.width},
        {"height", fields.dimensions_mm.height}}},
      {"tags", fields.tags},
      {"on_promotion", fields.on_promotion},
  };
}

json ProductJson(const Product& product) {
  json body = FieldsJson(product.fields);
  body["id"] = product.id;
  body["archived"] = product.archived;
  body["version"] = product.version;
  body["created_at"] = product.created_at;
  body["updated_at"] = product.updated_at;
  body["in_stock"] = product.in_stock;
  return body;
}

std::variant<ListRequest, core::FieldErrors> ReadListRequest(
    std::vector<std::pair<std::string, std::string>> parameters) {
  http::QueryReader reader(std::move(parameters),
                           {"q", "min_price", "max_price", "tag", "on_promotion", "in_stock", "sort", "limit", "cursor"});
  ListRequest request;
  ListQuery& query = request.query;
  if (const std::string* q = reader.Find("q")) {
    if (auto problem = SearchTextProblem(*q)) {
      reader.Fail("q", std::move(*problem));
    } else {
      query.words = SearchWords(*q);
    }
  }
  query.min_price = Price(reader, "min_price");
  query.max_price = Price(reader, "max_price");
  if (query.min_price && query.max_price && !IsPriceRange(*query.min_price, *query.max_price)) {
    reader.Fail("min_price", "must not be greater than max_price");
  }
  if (const std::string* text = reader.Find("tag")) {
    query.tag = NormalizeTag(*text);
    if (!query.tag) reader.Fail("tag", std::string(kTagRule));
  }
  query.on_promotion = reader.Flag("on_promotion");
  query.in_stock = reader.Flag("in_stock");
  query.sort = DefaultSort(query.words);
  if (const std::string* text = reader.Find("sort")) {
    if (const auto sort = ParseSort(*text)) {
      const auto problem = SortProblem(*sort, query.words);
      // A refused q is reported once, not again as a relevance sort without words.
      if (!problem) {
        query.sort = *sort;
      } else if (!Refused(reader, "q")) {
        reader.Fail("sort", *problem);
      }
    } else {
      reader.Fail("sort", "must be one of " + SortNames());
    }
  }
  request.limit = reader.Limit();
  if (const std::string* cursor = reader.Find("cursor")) request.cursor = *cursor;
  if (!reader.errors().empty()) return reader.errors();
  return request;
}

std::string EncodeCursor(const ListQuery& query, const CursorPosition& position) {
  const ListingCursor cursor = CursorOf(query, position);
  return wire::EncodeCursor(json{
      {"s", cursor.sort}, {"k", cursor.position.key}, {"i", cursor.position.id}, {"f", cursor.fingerprint}});
}

std::optional<CursorPosition> DecodeCursor(std::string_view token, const ListQuery& query) {
  const std::optional<json> cursor = wire::DecodeCursor(token);
  if (!cursor || !cursor->is_object() || cursor->size() != 4) return std::nullopt;
  for (const char* field : {"s", "k", "i", "f"}) {
    const auto it = cursor->find(field);
    if (it == cursor->end() || !it->is_string()) return std::nullopt;
  }
  const auto text = [&cursor](const char* field) { return cursor->at(field).get<std::string>(); };
  return PositionIn(query, {text("s"), text("f"), {text("k"), text("i")}});
}

Availability ReadStockLevelChanged(const messaging::Envelope& event) {
  const messaging::PayloadReader payload(event);
  Availability availability;
  availability.product_id = payload.Uuid("product_id");
  availability.in_stock = payload.Boolean("in_stock");
  availability.version = payload.AggregateVersion();
  return availability;
}

}  // namespace microstore::catalog::api
