#include "order/domain/events.hpp"

namespace microstore::order {
namespace {

nlohmann::json ReasonJson(const OrderState& state) {
  return state.reason ? nlohmann::json(ToString(*state.reason)) : nlohmann::json(nullptr);
}

EventDraft StatusChanged(const Order& order, std::optional<OrderStatus> previous) {
  return {"OrderStatusChanged",
          AggregateOf(order),
          {{"order_id", order.id},
           {"customer_id", order.customer_id},
           {"status", ToString(order.state.status)},
           {"previous_status", previous ? nlohmann::json(ToString(*previous)) : nlohmann::json(nullptr)},
           {"reason", ReasonJson(order.state)},
           {"version", order.state.version},
           {"changed_at", order.updated_at}}};
}

EventDraft Cancelled(const Order& order, OrderStatus previous) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : order.items)
    items.push_back({{"product_id", item.product_id}, {"quantity", item.quantity}});
  return {"OrderCancelled",
          AggregateOf(order),
          {{"order_id", order.id},
           {"customer_id", order.customer_id},
           {"reason", ReasonJson(order.state)},
           {"previous_status", ToString(previous)},
           {"version", order.state.version},
           {"items", std::move(items)},
           {"total_minor", order.total_minor},
           {"currency", order.currency},
           {"cancelled_at", order.updated_at}}};
}

}  // namespace

messaging::AggregateRef AggregateOf(const Order& order) {
  return {"order", order.id, order.state.version, std::string(ToString(order.state.status))};
}

std::vector<EventDraft> CreationEvents(const Order& created) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : created.items) items.push_back(ToJson(item));
  EventDraft order_created{"OrderCreated",
                           AggregateOf(created),
                           {{"order_id", created.id},
                            {"customer_id", created.customer_id},
                            {"items", std::move(items)},
                            {"total_minor", created.total_minor},
                            {"currency", created.currency},
                            {"created_at", created.created_at}}};
  return {std::move(order_created), StatusChanged(created, std::nullopt)};
}

std::vector<EventDraft> TransitionEvents(const Order& after, const decision::Transition& transition) {
  std::vector<EventDraft> drafts;
  for (const OrderEvent event : transition.events) {
    switch (event) {
      case OrderEvent::kStatusChanged:
        drafts.push_back(StatusChanged(after, transition.previous));
        break;
      case OrderEvent::kCancelled:
        drafts.push_back(Cancelled(after, transition.previous));
        break;
    }
  }
  return drafts;
}

}  // namespace microstore::order
