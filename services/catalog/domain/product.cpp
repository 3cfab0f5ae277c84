#include "catalog/domain/product.hpp"

namespace microstore::catalog {

nlohmann::json FieldsToJson(const ProductFields& fields) {
  return {
      {"sku", fields.sku},
      {"name", fields.name},
      {"description", fields.description},
      {"photo_url", fields.photo_url ? nlohmann::json(*fields.photo_url) : nlohmann::json(nullptr)},
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

nlohmann::json ToJson(const Product& product) {
  nlohmann::json json = FieldsToJson(product.fields);
  json["id"] = product.id;
  json["archived"] = product.archived;
  json["version"] = product.version;
  json["created_at"] = product.created_at;
  json["updated_at"] = product.updated_at;
  json["in_stock"] = product.in_stock;
  return json;
}

}  // namespace microstore::catalog
