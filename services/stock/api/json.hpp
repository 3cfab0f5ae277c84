#pragma once

#include <nlohmann/json.hpp>

#include "stock/domain/stock_item.hpp"
#include "stock/infra/stock_repository.hpp"

// The API's representations.
namespace microstore::stock {

// {product_id, free, reserved, shipped, in_stock, version}
nlohmann::json ItemJson(const StockItem& item);
// {order_id, customer_id, status, version, order_version, items[{product_id, quantity}],
//  total_minor, currency, reason, missing[{product_id, requested, available}], created_at,
//  updated_at}; absent values are null.
nlohmann::json ReservationJson(const ReservationRecord& record);
// {id, product_id, kind, delta, free_after, reserved_after, reason, order_id, actor, occurred_at}
nlohmann::json MovementJson(const MovementRecord& record);
// {received, free, reserved, shipped, products}
nlohmann::json TotalsJson(const Totals& totals);

}  // namespace microstore::stock
