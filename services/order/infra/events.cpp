#include "order/infra/events.hpp"

#include <nlohmann/json.hpp>

namespace microstore::order {
namespace {

using nlohmann::json;

messaging::AggregateRef Aggregate(const std::string& order_id, std::int64_t version, OrderStatus status) {
  return {"order", order_id, version, std::string(ToString(status))};
}

json ReasonJson(const std::optional<CancelReason>& reason) {
  return reason ? json(ToString(*reason)) : json(nullptr);
}

// OrderCreated's items: [{product_id, sku, name, quantity, unit_price_minor, line_total_minor}].
json CreatedItemJson(const OrderItem& item) {
  return {{"product_id", item.product_id},
          {"sku", item.sku},
          {"name", item.name},
          {"quantity", item.quantity},
          {"unit_price_minor", item.unit_price_minor},
          {"line_total_minor", item.line_total_minor}};
}

messaging::EventDraft Draft(const OrderCreated& event) {
  const Order& order = event.order;
  json items = json::array();
  for (const auto& item : order.items) items.push_back(CreatedItemJson(item));
  return {"OrderCreated",
          Aggregate(order.id, order.state.version, order.state.status),
          {{"order_id", order.id},
           {"customer_id", order.customer_id},
           {"items", std::move(items)},
           {"total_minor", order.total_minor},
           {"currency", order.currency},
           {"created_at", order.created_at}}};
}

messaging::EventDraft Draft(const OrderStatusChanged& event) {
  return {"OrderStatusChanged",
          Aggregate(event.order_id, event.version, event.status),
          {{"order_id", event.order_id},
           {"customer_id", event.customer_id},
           {"status", ToString(event.status)},
           {"previous_status", event.previous_status ? json(ToString(*event.previous_status)) : json(nullptr)},
           {"reason", ReasonJson(event.reason)},
           {"version", event.version},
           {"changed_at", event.changed_at}}};
}

messaging::EventDraft Draft(const OrderCancelled& event) {
  json items = json::array();
  for (const auto& line : event.items) items.push_back({{"product_id", line.product_id}, {"quantity", line.quantity}});
  return {"OrderCancelled",
          Aggregate(event.order_id, event.version, OrderStatus::kCancelled),
          {{"order_id", event.order_id},
           {"customer_id", event.customer_id},
           {"reason", ReasonJson(event.reason)},
           {"previous_status", ToString(event.previous_status)},
           {"version", event.version},
           {"items", std::move(items)},
           {"total_minor", event.total_minor},
           {"currency", event.currency},
           {"cancelled_at", event.cancelled_at}}};
}

}  // namespace

messaging::EventDraft ToDraft(const Event& event) {
  return std::visit([](const auto& typed) { return Draft(typed); }, event);
}

std::vector<messaging::EventDraft> ToDrafts(const std::vector<Event>& events) {
  return messaging::DraftsOf(events, ToDraft);
}

}  // namespace microstore::order
