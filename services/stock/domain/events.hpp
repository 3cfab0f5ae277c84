#pragma once

#include <variant>

#include "stock/domain/reservation.hpp"
#include "stock/domain/stock_item.hpp"

// The events the stock service publishes (producer "stock", exchange microstore.stock,
// schema_version 1), as the domain decides them; infra/events.hpp turns them into outbox rows,
// payloads as contracts/asyncapi.yaml says:
//
//   StockLevelChanged       aggregate {"stock_item", product_id, item version, IN_STOCK | OUT_OF_STOCK}
//                           {product_id, free, reserved, shipped, in_stock, version, cause}
//   StockReserved           aggregate {"reservation", order_id, version, BOOKED}
//                           {order_id, customer_id, order_version, items[{product_id, quantity}],
//                            total_minor, currency}
//   StockReservationFailed  aggregate {"reservation", order_id, version, FAILED}
//                           {order_id, customer_id, order_version, reason "out_of_stock",
//                            missing[{product_id, requested, available}]}
//   StockReleased           aggregate {"reservation", order_id, version, RELEASED}
//                           {order_id, customer_id, reason, items[{product_id, quantity}]}
namespace microstore::stock {

// The item after a change that flipped it between in stock and out of stock (or opened it, or
// an operator changed it).
struct StockLevelChanged {
  StockItem item;
  Cause cause = Cause::kRestock;

  bool operator==(const StockLevelChanged&) const = default;
};

// Each carries the reservation after the change (BOOKED, FAILED with its missing lines, RELEASED
// with its reason).
struct StockReserved {
  Reservation reservation;

  bool operator==(const StockReserved&) const = default;
};
struct StockReservationFailed {
  Reservation reservation;

  bool operator==(const StockReservationFailed&) const = default;
};
struct StockReleased {
  Reservation reservation;

  bool operator==(const StockReleased&) const = default;
};

using Event = std::variant<StockLevelChanged, StockReserved, StockReservationFailed, StockReleased>;

}  // namespace microstore::stock
