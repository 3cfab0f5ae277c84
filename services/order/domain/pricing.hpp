#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "order/domain/order.hpp"
#include "order/domain/validation.hpp"

// Pricing a new order from the service's own copy of the catalogue: the price is fixed at
// creation and never changes afterwards, whatever the catalogue does.
namespace microstore::order {

// A line of a create request, once validated (requests.hpp).
struct RequestedLine {
  std::string product_id;  // lower-case UUID
  std::int64_t quantity = 0;

  bool operator==(const RequestedLine&) const = default;
};

// The order service's copy of a catalogue product, kept from catalog's events.
struct ProductCopy {
  std::string product_id;
  std::string sku;
  std::string name;
  std::int64_t price_minor = 0;
  std::string currency;
  bool archived = false;
  // The catalogue version of sku, name and archived; 0 while only a price or nothing is known
  // (an event overtook ProductCreated): such a product cannot be ordered yet.
  std::int64_t version = 0;

  bool operator==(const ProductCopy&) const = default;
};

struct PricedOrder {
  std::vector<OrderItem> items;  // in the order of the request
  std::int64_t total_minor = 0;
  std::string currency;

  bool operator==(const PricedOrder&) const = default;
};

// Prices every line: unit price × quantity, total = sum, with overflow-checked int64 arithmetic.
// Problems (all at once): "items[i].product_id" for a product that is unknown (not in `products`
// or version 0) or archived, or priced in another currency than the first orderable line;
// "items" when the total does not fit in int64.
std::variant<PricedOrder, Problems> PriceOrder(const std::vector<RequestedLine>& lines,
                                               const std::vector<ProductCopy>& products);

}  // namespace microstore::order
