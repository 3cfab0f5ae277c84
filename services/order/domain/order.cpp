#include "order/domain/order.hpp"

namespace microstore::order {

std::string_view ToString(OrderStatus status) {
  switch (status) {
    case OrderStatus::kPending:
      return "PENDING";
    case OrderStatus::kReserved:
      return "RESERVED";
    case OrderStatus::kPaid:
      return "PAID";
    case OrderStatus::kCancelled:
      return "CANCELLED";
  }
  return "";
}

std::optional<OrderStatus> ParseStatus(std::string_view text) {
  for (const OrderStatus status : kAllStatuses) {
    if (ToString(status) == text) return status;
  }
  return std::nullopt;
}

std::string_view ToString(CancelReason reason) {
  switch (reason) {
    case CancelReason::kOutOfStock:
      return "out_of_stock";
    case CancelReason::kInsufficientFunds:
      return "insufficient_funds";
    case CancelReason::kPaymentFailed:
      return "payment_failed";
    case CancelReason::kCustomerCancelled:
      return "customer_cancelled";
    case CancelReason::kOperatorCancelled:
      return "operator_cancelled";
  }
  return "";
}

std::optional<CancelReason> ParseCancelReason(std::string_view text) {
  for (const CancelReason reason : {CancelReason::kOutOfStock, CancelReason::kInsufficientFunds,
                                    CancelReason::kPaymentFailed, CancelReason::kCustomerCancelled,
                                    CancelReason::kOperatorCancelled}) {
    if (ToString(reason) == text) return reason;
  }
  return std::nullopt;
}

nlohmann::json ToJson(const OrderItem& item) {
  return {{"product_id", item.product_id},
          {"sku", item.sku},
          {"name", item.name},
          {"quantity", item.quantity},
          {"unit_price_minor", item.unit_price_minor},
          {"line_total_minor", item.line_total_minor}};
}

nlohmann::json ToJson(const Order& order) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : order.items) items.push_back(ToJson(item));
  return {{"id", order.id},
          {"customer_id", order.customer_id},
          {"status", ToString(order.state.status)},
          {"reason",
           order.state.reason ? nlohmann::json(ToString(*order.state.reason)) : nlohmann::json(nullptr)},
          {"version", order.state.version},
          {"items", std::move(items)},
          {"total_minor", order.total_minor},
          {"currency", order.currency},
          {"stock_released", order.state.stock_released},
          {"refunded", order.state.refunded},
          {"created_at", order.created_at},
          {"updated_at", order.updated_at}};
}

}  // namespace microstore::order
