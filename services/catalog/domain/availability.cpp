#include "catalog/domain/availability.hpp"

#include "platform/core/ids.hpp"
#include "catalog/domain/product.hpp"

namespace microstore::catalog {

std::variant<Availability, std::string> ParseStockLevelChanged(const messaging::Envelope& event) {
  const auto& payload = event.payload;
  const auto id = payload.find("product_id");
  if (id == payload.end() || !id->is_string() || !core::IsUuid(id->get_ref<const std::string&>())) {
    return std::string("payload.product_id must be a UUID");
  }
  const auto in_stock = payload.find("in_stock");
  if (in_stock == payload.end() || !in_stock->is_boolean()) {
    return std::string("payload.in_stock must be true or false");
  }
  if (event.aggregate.version < 1) return std::string("aggregate.version must be at least 1");
  return Availability{id->get<std::string>(), in_stock->get<bool>(), event.aggregate.version};
}

}  // namespace microstore::catalog
