#include "catalog/infra/events.hpp"

#include <nlohmann/json.hpp>

#include "platform/core/overloaded.hpp"

namespace microstore::catalog {
namespace {

using nlohmann::json;

// Written here rather than borrowed from the HTTP body: the event's shape is asyncapi's contract,
// the body's openapi's.
json ProductPayload(const Product& product) {
  const ProductFields& fields = product.fields;
  return {
      {"product_id", product.id},
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
      {"archived", product.archived},
      {"version", product.version},
      {"created_at", product.created_at},
      {"updated_at", product.updated_at},
  };
}

messaging::EventDraft Draft(std::string type, const Product& product, json payload) {
  return {.type = std::move(type), .aggregate = AggregateOf(product), .payload = std::move(payload)};
}

}  // namespace

messaging::AggregateRef AggregateOf(const Product& product) {
  return {"product", product.id, product.version, std::string(product.Status())};
}

messaging::EventDraft ToDraft(const Event& event) {
  return std::visit(
      core::Overloaded{
          [](const ProductCreated& created) {
            return Draft("ProductCreated", created.product, ProductPayload(created.product));
          },
          [](const ProductUpdated& updated) {
            return Draft("ProductUpdated", updated.product, ProductPayload(updated.product));
          },
          [](const ProductPriceChanged& changed) {
            const ProductFields& fields = changed.product.fields;
            return Draft("ProductPriceChanged", changed.product,
                         {{"product_id", changed.product.id},
                          {"sku", fields.sku},
                          {"old_price_minor", changed.old_price_minor},
                          {"price_minor", fields.price_minor},
                          {"currency", fields.currency}});
          },
          [](const ProductArchived& archived) {
            return Draft("ProductArchived", archived.product,
                         {{"product_id", archived.product.id}, {"sku", archived.product.fields.sku}});
          },
      },
      event);
}

std::vector<messaging::EventDraft> ToDrafts(const std::vector<Event>& events) {
  return messaging::DraftsOf(events, ToDraft);
}

}  // namespace microstore::catalog
