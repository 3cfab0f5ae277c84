#include "order/domain/pricing.hpp"

#include <algorithm>

namespace microstore::order {

std::variant<PricedOrder, core::FieldErrors> PriceOrder(const std::vector<RequestedLine>& lines,
                                                        const std::vector<ProductCopy>& products) {
  core::FieldErrors problems;
  PricedOrder priced;
  bool overflow = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const RequestedLine& line = lines[i];
    const std::string field = "items[" + std::to_string(i) + "].product_id";
    const auto product = std::find_if(products.begin(), products.end(), [&](const ProductCopy& copy) {
      return copy.product_id == line.product_id;
    });
    if (product == products.end() || product->version == 0) {
      problems.push_back({field, "is not a product of the catalogue"});
      continue;
    }
    if (product->archived) {
      problems.push_back({field, "is no longer sold (archived)"});
      continue;
    }
    if (priced.currency.empty()) {
      priced.currency = product->currency;
    } else if (product->currency != priced.currency) {
      problems.push_back({field, "is priced in " + product->currency + ", the order's other items in " +
                                     priced.currency + "; one order has one currency"});
      continue;
    }
    OrderItem item{.product_id = line.product_id,
                   .sku = product->sku,
                   .name = product->name,
                   .quantity = line.quantity,
                   .unit_price_minor = product->price_minor,
                   .line_total_minor = 0};
    if (__builtin_mul_overflow(item.unit_price_minor, item.quantity, &item.line_total_minor) ||
        __builtin_add_overflow(priced.total_minor, item.line_total_minor, &priced.total_minor)) {
      overflow = true;
    }
    priced.items.push_back(std::move(item));
  }
  if (overflow) problems.push_back({"items", "the order's total is too large"});
  if (!problems.empty()) return problems;
  return priced;
}

}  // namespace microstore::order
