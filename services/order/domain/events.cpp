#include "order/domain/events.hpp"

namespace microstore::order {

OrderStatusChanged StatusChangeOf(const Order& after, std::optional<OrderStatus> previous) {
  return {.order_id = after.id,
          .customer_id = after.customer_id,
          .status = after.state.status,
          .previous_status = previous,
          .reason = after.state.reason,
          .version = after.state.version,
          .changed_at = after.updated_at};
}

OrderCancelled CancellationOf(const Order& after, OrderStatus previous) {
  std::vector<CancelledLine> items;
  items.reserve(after.items.size());
  for (const auto& item : after.items) items.push_back({item.product_id, item.quantity});
  return {.order_id = after.id,
          .customer_id = after.customer_id,
          .reason = after.state.reason,
          .previous_status = previous,
          .version = after.state.version,
          .items = std::move(items),
          .total_minor = after.total_minor,
          .currency = after.currency,
          .cancelled_at = after.updated_at};
}

std::vector<Event> CreationEvents(const Order& created) {
  return {OrderCreated{created}, StatusChangeOf(created, std::nullopt)};
}

}  // namespace microstore::order
