#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "order/domain/order.hpp"
#include "order/domain/product_copy.hpp"
#include "order/domain/requests.hpp"
#include "platform/core/field_error.hpp"

// Pricing a new order from the service's own copy of the catalogue: the price is fixed at
// creation and never changes afterwards, whatever the catalogue does.
namespace microstore::order {

struct PricedOrder {
  std::vector<OrderItem> items;  // in the order of the request
  std::int64_t total_minor = 0;
  std::string currency;

  bool operator==(const PricedOrder&) const = default;
};

// Prices every line: unit price × quantity, total = sum, with overflow-checked int64 arithmetic.
// Errors (all at once): "items[i].product_id" for a product that is unknown (not in `products`
// or version 0) or archived, or priced in another currency than the first orderable line;
// "items" when the total does not fit in int64.
std::variant<PricedOrder, core::FieldErrors> PriceOrder(const std::vector<RequestedLine>& lines,
                                                        const std::vector<ProductCopy>& products);

}  // namespace microstore::order
